package io.tether.server.certificate;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A certificate as the API shows it. {@code status} is {@code valid}, {@code expired} or
 * {@code revoked} at the time of the request; {@code certificatePem} only on the single
 * certificate view.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CertificateView(String serialNumber, String spiffeId, List<String> dnsNames, String keyType,
		Instant notBefore, Instant notAfter, String status, String x5tS256, String issuerId, String requestedBy,
		Instant createdAt, Instant revokedAt, String revocationReason, String certificatePem) {

	static CertificateView of(CertificateRecord record, Instant now, boolean withPem) {
		String status = (record.getStatus() == CertificateRecord.Status.REVOKED) ? "revoked"
				: record.getNotAfter().isAfter(now) ? "valid" : "expired";
		return new CertificateView(record.getSerialNumber(), record.getSpiffeId(), record.getDnsNames(),
				record.getKeyType(), record.getNotBefore(), record.getNotAfter(), status, record.getX5tS256(),
				record.getIssuerId(), record.getRequestedBy(), record.getCreatedAt(), record.getRevokedAt(),
				record.getRevocationReason(), withPem ? record.getCertificatePem() : null);
	}

}
