package io.tether.api;

import java.time.Instant;

/**
 * The answer to {@code POST /v1/operators/enroll}.
 *
 * @param name the operator's name
 * @param role its role
 * @param spiffeId the SPIFFE ID of its certificate
 * @param serialNumber the certificate's serial number, hex
 * @param notAfter the certificate's end of validity
 * @param certificateChain the certificate and the intermediate, PEM
 * @param bundle the trust anchors, PEM
 */
public record OperatorEnrolled(String name, String role, String spiffeId, String serialNumber, Instant notAfter,
		String certificateChain, String bundle) {
}
