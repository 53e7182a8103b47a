package io.tether.server.certificate;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.tether.api.CertificateView;
import io.tether.pki.Pem;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads the certificate records: for the admin API, the certificate status endpoint and
 * the status summary.
 */
@Service
public class Certificates {

	private final CertificateRepository certificates;

	Certificates(CertificateRepository certificates) {
		this.certificates = certificates;
	}

	/**
	 * The soonest-expiring valid certificate.
	 */
	public record Expiry(String serialNumber, String spiffeId, Instant notAfter) {
	}

	/**
	 * A certificate exactly as this CA signed and recorded it.
	 *
	 * @param certificate the certificate
	 * @param spiffeId the SPIFFE ID it was issued for
	 * @param revoked whether it was revoked
	 */
	public record Recorded(X509Certificate certificate, String spiffeId, boolean revoked) {
	}

	/**
	 * Certificates that are still good: unrevoked and unexpired.
	 *
	 * @param count how many
	 * @param until when the last of them expires, or {@code null} when there are none
	 */
	public record Live(long count, Instant until) {
	}

	/**
	 * The certificates a requester obtained for one SPIFFE ID that are still good, seen
	 * from the caller's transaction (so after what it revoked).
	 * @param spiffeId the SPIFFE ID they were issued for
	 * @param requestedBy who obtained them (an agent's SPIFFE ID)
	 * @param now the instant they must be valid at
	 * @return how many, and until when
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Live liveIssuedFor(String spiffeId, String requestedBy, Instant now) {
		Object[] row = this.certificates.countLive(spiffeId, requestedBy, now).get(0);
		return new Live(((Number) row[0]).longValue(), (Instant) row[1]);
	}

	/**
	 * The record of a serial number, locked until the caller's transaction ends, for
	 * checks that rest on this CA's own records rather than on a chain that an
	 * intermediate's rotation may have left unverifiable: a revocation committing
	 * meanwhile waits for the caller, or the caller sees it.
	 * @param serialHex the serial number, hex
	 * @return the record, or empty when this CA never issued that serial number
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Optional<Recorded> findForUpdate(String serialHex) {
		return this.certificates.findForUpdateBySerialNumber(serialHex)
			.map((record) -> new Recorded(Pem.readCertificate(record.getCertificatePem()), record.getSpiffeId(),
					record.getStatus() == CertificateRecord.Status.REVOKED));
	}

	/**
	 * A revoked certificate, as a CRL lists it.
	 *
	 * @param serialNumber its serial number, hex
	 * @param revokedAt when it was revoked
	 * @param reason the RFC 5280 reason name
	 */
	public record Revoked(String serialNumber, Instant revokedAt, String reason) {
	}

	/**
	 * What an OCSP answer says of a certificate.
	 *
	 * @param issuerId the authority that signed it
	 * @param revoked whether it was revoked
	 * @param revokedAt when, else {@code null}
	 * @param reason the RFC 5280 reason name, else {@code null}
	 */
	public record State(String issuerId, boolean revoked, Instant revokedAt, String reason) {
	}

	/**
	 * The revoked certificates of an issuer that have not expired: what its CRL lists.
	 * @param issuerId the authority
	 * @param now the time
	 * @return the certificates, in no particular order
	 */
	@Transactional(readOnly = true)
	public List<Revoked> revokedUnexpired(String issuerId, Instant now) {
		return this.certificates.findRevokedUnexpired(issuerId, now)
			.stream()
			.map((row) -> new Revoked((String) row[0], (Instant) row[1], (String) row[2]))
			.toList();
	}

	/**
	 * The state of a certificate this CA recorded.
	 * @param serialHex its serial number, hex as
	 * {@link io.tether.pki.SerialNumbers#toHex} writes it
	 * @return its state, or empty when this CA never issued it
	 */
	@Transactional(readOnly = true)
	public Optional<State> state(String serialHex) {
		return this.certificates.findBySerialNumber(serialHex)
			.map((record) -> new State(record.getIssuerId(), record.getStatus() == CertificateRecord.Status.REVOKED,
					record.getRevokedAt(), record.getRevocationReason()));
	}

	@Transactional(readOnly = true)
	List<CertificateView> find(Specification<CertificateRecord> filter, int limit, Instant now) {
		Sort order = Sort.by(Sort.Order.desc("createdAt"), Sort.Order.asc("serialNumber"));
		return this.certificates.findAll(filter, PageRequest.of(0, limit, order))
			.stream()
			.map((record) -> CertificateViews.of(record, now, false))
			.toList();
	}

	@Transactional(readOnly = true)
	Optional<CertificateView> get(String serialHex, Instant now) {
		return this.certificates.findBySerialNumber(serialHex).map((record) -> CertificateViews.of(record, now, true));
	}

	@Transactional(readOnly = true)
	Optional<CertificateRecord> findByX5tS256(String x5tS256) {
		return this.certificates.findByX5tS256(x5tS256);
	}

	@Transactional(readOnly = true)
	public long validCount(Instant now) {
		return this.certificates.count(valid(now));
	}

	@Transactional(readOnly = true)
	public Optional<Expiry> soonestExpiry(Instant now) {
		return this.certificates.findAll(valid(now), PageRequest.of(0, 1, Sort.by("notAfter")))
			.stream()
			.map((record) -> new Expiry(record.getSerialNumber(), record.getSpiffeId(), record.getNotAfter()))
			.findFirst();
	}

	private static Specification<CertificateRecord> valid(Instant now) {
		return CertificateRepository.hasStatus(CertificateRecord.Status.ISSUED)
			.and(CertificateRepository.expiresAfter(now));
	}

}
