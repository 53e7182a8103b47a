package io.tether.api;

import java.time.Instant;
import java.util.List;

/**
 * A certificate record, as {@code /v1/certificates} answers it.
 *
 * @param serialNumber the serial number, hex
 * @param spiffeId the SPIFFE ID
 * @param dnsNames the DNS names
 * @param keyType the key type ({@code ec-p256} ...)
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param status {@code valid}, {@code expired} or {@code revoked}
 * @param x5tS256 base64url SHA-256 of the certificate's DER
 * @param issuerId the issuing authority's id
 * @param requestedBy who asked for it
 * @param createdAt when it was issued
 * @param revokedAt when it was revoked, or {@code null}
 * @param revocationReason the RFC 5280 reason name, or {@code null}
 * @param certificatePem the certificate, PEM; only when one certificate is asked for
 * (members that do not apply are absent)
 */
public record CertificateView(String serialNumber, String spiffeId, List<String> dnsNames, String keyType,
		Instant notBefore, Instant notAfter, String status, String x5tS256, String issuerId, String requestedBy,
		Instant createdAt, Instant revokedAt, String revocationReason, String certificatePem) {
}
