package io.tether.api;

import java.time.Instant;

/**
 * {@code GET /v1/certificates/status?x5tS256=...}: what this CA knows of a certificate.
 * Members that do not apply are absent.
 *
 * @param x5tS256 the thumbprint asked about
 * @param known whether this CA issued it
 * @param status {@code valid}, {@code expired}, {@code revoked} or {@code unknown}
 * @param serialNumber the serial number, hex
 * @param spiffeId the SPIFFE ID
 * @param notAfter end of validity
 * @param requestedBy who asked for it
 * @param revokedAt when it was revoked
 * @param revocationReason the RFC 5280 reason name
 */
public record CertificateStatus(String x5tS256, boolean known, String status, String serialNumber, String spiffeId,
		Instant notAfter, String requestedBy, Instant revokedAt, String revocationReason) {
}
