package io.tether.api;

import java.time.Instant;
import java.util.List;

/**
 * The answer to {@code POST /v1/certificates}.
 *
 * @param serialNumber the serial number, hex
 * @param spiffeId the SPIFFE ID
 * @param dnsNames the DNS names
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param x5tS256 base64url SHA-256 of the certificate's DER
 * @param certificateChain the certificate and its intermediate, PEM
 */
public record IssuedCertificate(String serialNumber, String spiffeId, List<String> dnsNames, Instant notBefore,
		Instant notAfter, String x5tS256, String certificateChain) {
}
