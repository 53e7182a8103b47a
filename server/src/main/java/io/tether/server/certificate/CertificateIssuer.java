package io.tether.server.certificate;

import java.security.PublicKey;
import java.time.Clock;

import io.tether.pki.CertificateProfile;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.SerialNumbers;
import io.tether.pki.Thumbprints;
import io.tether.server.audit.AuditLog;
import io.tether.server.authority.CertificateAuthority;
import io.tether.server.authority.CertificateAuthority.SignedCertificate;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Signs a leaf and records it with its audit event before returning it: callers hand the
 * certificate out only after this has returned, that is after the commit, so no
 * certificate leaves the server without a record (no ghost certificates). Policy is the
 * caller's job.
 * <p>
 * Two ways to record: {@link #issue} in the caller's transaction, for changes that must
 * commit with the certificate (an enrollment spends its join token, a renewal moves the
 * agent to its new certificate); {@link #issueGroupCommitted} through the
 * {@link CertificateLedger}, which commits many certificates at once, for requests that
 * change nothing else.
 */
@Service
public class CertificateIssuer {

	private final CertificateAuthority authority;

	private final CertificateRepository certificates;

	private final CertificateLedger ledger;

	private final AuditLog audit;

	private final Clock clock;

	public CertificateIssuer(CertificateAuthority authority, CertificateRepository certificates,
			CertificateLedger ledger, AuditLog audit, Clock clock) {
		this.authority = authority;
		this.certificates = certificates;
		this.ledger = ledger;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * Signs and records in the caller's transaction, or in a new one.
	 */
	@Transactional
	public SignedCertificate issue(CertificateProfile.Leaf profile, PublicKey subjectKey, String requestedBy) {
		SignedCertificate signed = this.authority.sign(profile, subjectKey);
		CertificateRecord record = record(signed, profile, subjectKey, requestedBy);
		this.certificates.save(record);
		this.audit.record(requestedBy, "certificate.issued", record.getSerialNumber(), auditDetail(record));
		return signed;
	}

	/**
	 * Signs, then records through the ledger's next group commit, outside any transaction
	 * of the caller's (it would hold its locks while waiting for the commit).
	 * @param guard checks that must hold in the transaction that records the certificate
	 * @throws io.tether.server.web.ApiException the guard's refusal, or
	 * {@code unavailable} when the certificate could not be recorded (then it was not
	 * issued)
	 */
	public SignedCertificate issueGroupCommitted(CertificateProfile.Leaf profile, PublicKey subjectKey,
			String requestedBy, CertificateLedger.Guard guard) {
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("Group-committed issuance must not run inside a transaction: its locks"
					+ " would be held while the ledger's commit waits for them");
		}
		SignedCertificate signed = this.authority.sign(profile, subjectKey);
		CertificateRecord record = record(signed, profile, subjectKey, requestedBy);
		this.ledger.record(record, auditDetail(record), guard);
		return signed;
	}

	private CertificateRecord record(SignedCertificate signed, CertificateProfile.Leaf profile, PublicKey subjectKey,
			String requestedBy) {
		return new CertificateRecord(SerialNumbers.toHex(signed.certificate().getSerialNumber()),
				profile.spiffeId().toString(), profile.dnsNames(), KeyType.of(subjectKey).id(),
				signed.certificate().getNotBefore().toInstant(), signed.certificate().getNotAfter().toInstant(),
				Thumbprints.x5tS256(signed.certificate()), signed.issuerId(), requestedBy,
				Pem.write(signed.certificate()), this.clock.instant());
	}

	private static String auditDetail(CertificateRecord record) {
		return "spiffeId=" + record.getSpiffeId() + " dnsNames=" + record.getDnsNames() + " notAfter="
				+ record.getNotAfter();
	}

}
