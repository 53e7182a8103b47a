package io.tether.server.certificate;

import java.time.Instant;

import io.tether.api.CertificateStatus;
import io.tether.api.CertificateView;

/**
 * Certificate records as the API shows them.
 */
final class CertificateViews {

	private CertificateViews() {
	}

	static CertificateView of(CertificateRecord record, Instant now, boolean withPem) {
		return new CertificateView(record.getSerialNumber(), record.getSpiffeId(), record.getDnsNames(),
				record.getKeyType(), record.getNotBefore(), record.getNotAfter(), statusName(record, now),
				record.getX5tS256(), record.getIssuerId(), record.getRequestedBy(), record.getCreatedAt(),
				record.getRevokedAt(), record.getRevocationReason(), withPem ? record.getCertificatePem() : null);
	}

	static CertificateStatus status(CertificateRecord record, Instant now) {
		return new CertificateStatus(record.getX5tS256(), true, statusName(record, now), record.getSerialNumber(),
				record.getSpiffeId(), record.getNotAfter(), record.getRequestedBy(), record.getRevokedAt(),
				record.getRevocationReason());
	}

	private static String statusName(CertificateRecord record, Instant now) {
		return (record.getStatus() == CertificateRecord.Status.REVOKED) ? "revoked"
				: record.getNotAfter().isAfter(now) ? "valid" : "expired";
	}

}
