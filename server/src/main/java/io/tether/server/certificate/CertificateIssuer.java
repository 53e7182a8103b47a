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

/**
 * Signs a leaf and records it, with its audit event, in one transaction. Callers return
 * the certificate only after this method has returned, that is after the commit: no
 * certificate leaves the server without a record (no ghost certificates). Policy is the
 * caller's job.
 */
@Service
public class CertificateIssuer {

	private final CertificateAuthority authority;

	private final CertificateRepository certificates;

	private final AuditLog audit;

	private final Clock clock;

	public CertificateIssuer(CertificateAuthority authority, CertificateRepository certificates, AuditLog audit,
			Clock clock) {
		this.authority = authority;
		this.certificates = certificates;
		this.audit = audit;
		this.clock = clock;
	}

	@Transactional
	public SignedCertificate issue(CertificateProfile.Leaf profile, PublicKey subjectKey, String requestedBy) {
		SignedCertificate signed = this.authority.sign(profile, subjectKey);
		String serial = SerialNumbers.toHex(signed.certificate().getSerialNumber());
		CertificateRecord record = new CertificateRecord(serial, profile.spiffeId().toString(), profile.dnsNames(),
				KeyType.of(subjectKey).id(), signed.certificate().getNotBefore().toInstant(),
				signed.certificate().getNotAfter().toInstant(), Thumbprints.x5tS256(signed.certificate()),
				signed.issuerId(), requestedBy, Pem.write(signed.certificate()), this.clock.instant());
		this.certificates.save(record);
		this.audit.record(requestedBy, "certificate.issued", serial, "spiffeId=" + profile.spiffeId() + " dnsNames="
				+ profile.dnsNames() + " notAfter=" + record.getNotAfter());
		return signed;
	}

}
