package io.tether.api;

import java.time.Instant;

/**
 * What an agent obtains from {@code /v1/agents/self/renew} and
 * {@code /v1/agents/self/certificates}.
 *
 * @param entryId the entry, or {@code null} for the agent's own certificate
 * @param serialNumber the serial number, hex
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param x5tS256 base64url SHA-256 of the certificate's DER
 * @param certificateChain the certificate and its intermediate, PEM
 * @param bundle the trust anchors, PEM
 */
public record AgentIssued(String entryId, String serialNumber, Instant notBefore, Instant notAfter, String x5tS256,
		String certificateChain, String bundle) {
}
