package io.tether.api;

import java.time.Instant;

/**
 * The answer to {@code POST /v1/agents/enroll}.
 *
 * @param agent the agent's name
 * @param spiffeId its SPIFFE ID
 * @param serialNumber its certificate's serial number, hex
 * @param notAfter its certificate's end of validity
 * @param certificateChain its certificate and the intermediate, PEM
 * @param bundle the trust anchors, PEM
 */
public record Enrolled(String agent, String spiffeId, String serialNumber, Instant notAfter, String certificateChain,
		String bundle) {
}
