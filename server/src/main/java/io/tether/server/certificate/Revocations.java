package io.tether.server.certificate;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.tether.api.ProblemType;
import io.tether.pki.SerialNumbers;
import io.tether.pki.SpiffeId;
import io.tether.server.TetherProperties;
import io.tether.server.audit.AuditLog;
import io.tether.server.identity.TetherIds;
import io.tether.server.web.ApiException;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Marks certificates revoked, with when and why, and audits each one. A revoked
 * certificate keeps its row; token issuers and resource servers learn about it from
 * {@code GET /v1/certificates/status}, everyone else from the CRLs and the OCSP
 * responder, which hear of each revocation through a {@link CertificateRevoked} event
 * published in the revoking transaction.
 */
@Service
public class Revocations {

	/** RFC 5280 reason names that make sense for a leaf. */
	static final List<String> REASONS = List.of("unspecified", "keyCompromise", "affiliationChanged", "superseded",
			"cessationOfOperation", "privilegeWithdrawn");

	private final CertificateRepository certificates;

	private final AuditLog audit;

	private final TetherProperties properties;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	Revocations(CertificateRepository certificates, AuditLog audit, TetherProperties properties, Clock clock,
			ApplicationEventPublisher events) {
		this.certificates = certificates;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
		this.events = events;
	}

	/**
	 * Revokes one certificate.
	 * @param serial its serial number, hex
	 * @param reason an RFC 5280 reason name, or {@code null} for {@code unspecified}
	 * @param caller who asks, for the audit log
	 * @return the revoked record
	 */
	@Transactional
	CertificateRecord revoke(String serial, String reason, String caller) {
		String checkedReason = reason(reason);
		String hex;
		try {
			hex = SerialNumbers.toHex(SerialNumbers.fromHex(serial));
		}
		catch (IllegalArgumentException ex) {
			throw new ApiException(ProblemType.BAD_REQUEST, ex.getMessage());
		}
		CertificateRecord record = this.certificates.findForUpdateBySerialNumber(hex)
			.orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No certificate with serial number " + serial));
		if (record.getStatus() == CertificateRecord.Status.REVOKED) {
			throw new ApiException(ProblemType.CONFLICT, "Certificate " + hex + " was already revoked at "
					+ record.getRevokedAt() + " (" + record.getRevocationReason() + ")");
		}
		if (record.getSpiffeId().startsWith("spiffe://" + this.properties.trustDomain() + "/")
				&& TetherIds.isOwn(SpiffeId.parse(record.getSpiffeId()))) {
			throw new ApiException(ProblemType.NOT_REVOCABLE, "Certificate " + hex + " is Tether's own ("
					+ record.getSpiffeId() + "); the server replaces its admin and TLS certificates itself");
		}
		Instant now = this.clock.instant();
		revoke(record, checkedReason, caller, now);
		if ("keyCompromise".equals(checkedReason) && isAgentIdentity(record.getSpiffeId())) {
			// an agent renews with the key it enrolled with: every certificate of its
			// identity carries the compromised key
			this.certificates.findBySpiffeIdAndStatus(record.getSpiffeId(), CertificateRecord.Status.ISSUED)
				.forEach((sameKey) -> revoke(sameKey, checkedReason, caller, now));
		}
		return record;
	}

	private static ApiException revoked(CertificateRecord record) {
		return new ApiException(ProblemType.CERTIFICATE_REVOKED, "The client certificate " + record.getSerialNumber()
				+ " was revoked at " + record.getRevokedAt() + " (" + record.getRevocationReason() + ")");
	}

	private boolean isAgentIdentity(String spiffeId) {
		return spiffeId.startsWith("spiffe://" + this.properties.trustDomain() + TetherIds.AGENT_PREFIX);
	}

	/**
	 * Checks, in the caller's transaction and under the record's lock, that a client
	 * certificate is still good: a revocation committing meanwhile waits for this
	 * transaction, or this one sees it.
	 * @param certificate the certificate the caller presented
	 * @throws ApiException {@code certificate-revoked} when revoked; it reads only, so
	 * the refusal leaves the caller's transaction free to commit (the ledger's group
	 * commit records the batch's other certificates)
	 */
	@Transactional(propagation = Propagation.MANDATORY, noRollbackFor = ApiException.class)
	public void requireUnrevokedForUpdate(X509Certificate certificate) {
		String serial = SerialNumbers.toHex(certificate.getSerialNumber());
		this.certificates.findForUpdateBySerialNumber(serial)
			.filter((record) -> record.getStatus() == CertificateRecord.Status.REVOKED)
			.ifPresent((record) -> {
				throw revoked(record);
			});
	}

	/**
	 * Refuses a client certificate that this CA revoked, or has no record of: a TLS
	 * handshake checks the chain and the dates, not revocation.
	 * @param certificate the certificate the caller presented
	 * @throws ApiException {@code certificate-revoked} when revoked, {@code not-agent}
	 * when this CA has no record of it
	 */
	@Transactional(readOnly = true)
	public void requireUnrevoked(X509Certificate certificate) {
		requireUnrevoked(certificate, ProblemType.NOT_AGENT);
	}

	/**
	 * Refuses a client certificate that this CA revoked, or has no record of.
	 * @param certificate the certificate the caller presented
	 * @param unknown the problem when this CA has no record of it
	 * @throws ApiException {@code certificate-revoked} when revoked, {@code unknown} when
	 * this CA has no record of it
	 */
	@Transactional(readOnly = true)
	public void requireUnrevoked(X509Certificate certificate, ProblemType unknown) {
		String serial = SerialNumbers.toHex(certificate.getSerialNumber());
		CertificateRecord record = this.certificates.findBySerialNumber(serial)
			.orElseThrow(
					() -> new ApiException(unknown, "The client certificate " + serial + " is unknown to this CA"));
		if (record.getStatus() == CertificateRecord.Status.REVOKED) {
			throw revoked(record);
		}
	}

	/**
	 * Revokes every unrevoked certificate a requester obtained, in the caller's
	 * transaction (used when an agent is evicted).
	 * @param requester the {@code requestedBy} of the records
	 * @param reason an RFC 5280 reason name
	 * @param caller who asks, for the audit log
	 * @return how many were revoked
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public int revokeAllRequestedBy(String requester, String reason, String caller) {
		Instant now = this.clock.instant();
		List<CertificateRecord> records = this.certificates.findByRequestedByAndStatus(requester,
				CertificateRecord.Status.ISSUED);
		records.forEach((record) -> revoke(record, reason, caller, now));
		return records.size();
	}

	/**
	 * Revokes every unrevoked, unexpired certificate issued for one SPIFFE ID, whoever
	 * requested it, in the caller's transaction (used when an operator is revoked or
	 * enrolls again).
	 * @param spiffeId the SPIFFE ID they were issued for
	 * @param reason an RFC 5280 reason name
	 * @param caller who asks, for the audit log
	 * @return how many were revoked
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public int revokeAllIssuedFor(String spiffeId, String reason, String caller) {
		Instant now = this.clock.instant();
		List<CertificateRecord> records = this.certificates
			.findBySpiffeIdAndStatus(spiffeId, CertificateRecord.Status.ISSUED)
			.stream()
			.filter((record) -> record.getNotAfter().isAfter(now))
			.toList();
		records.forEach((record) -> revoke(record, reason, caller, now));
		return records.size();
	}

	private void revoke(CertificateRecord record, String reason, String caller, Instant now) {
		record.revoke(now, reason);
		this.certificates.save(record);
		this.audit.record(caller, "certificate.revoked", record.getSerialNumber(),
				"spiffeId=" + record.getSpiffeId() + " reason=" + reason);
		this.events.publishEvent(new CertificateRevoked(record.getSerialNumber(), record.getIssuerId(), reason));
	}

	private static String reason(String reason) {
		if (reason == null) {
			return "unspecified";
		}
		if (!REASONS.contains(reason)) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'reason' must be one of " + REASONS);
		}
		return reason;
	}

	/**
	 * Revokes every unrevoked, unexpired certificate a requester obtained for one SPIFFE
	 * ID, in the caller's transaction (used when a registration entry is deleted with its
	 * certificates: the entry's agent is the requester).
	 * @param spiffeId the SPIFFE ID they were issued for
	 * @param requestedBy the {@code requestedBy} of the records
	 * @param reason an RFC 5280 reason name
	 * @param caller who asks, for the audit log
	 * @return how many were revoked
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public int revokeAllIssuedFor(String spiffeId, String requestedBy, String reason, String caller) {
		Instant now = this.clock.instant();
		List<CertificateRecord> records = this.certificates.findLiveForUpdate(spiffeId, requestedBy, now);
		records.forEach((record) -> revoke(record, reason, caller, now));
		return records.size();
	}

}
