package io.tether.server.certificate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.domain.Specification;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface CertificateRepository
		extends JpaRepository<CertificateRecord, String>, JpaSpecificationExecutor<CertificateRecord> {

	Optional<CertificateRecord> findBySerialNumber(String serialNumber);

	/**
	 * The record, locked until the transaction ends: revocation and every call made with
	 * the certificate take this lock, so neither slips past the other.
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select c from CertificateRecord c where c.serialNumber = :serialNumber")
	Optional<CertificateRecord> findForUpdateBySerialNumber(@Param("serialNumber") String serialNumber);

	List<CertificateRecord> findBySpiffeIdAndStatus(String spiffeId, CertificateRecord.Status status);

	Optional<CertificateRecord> findByX5tS256(String x5tS256);

	List<CertificateRecord> findByRequestedByAndStatus(String requestedBy, CertificateRecord.Status status);

	/**
	 * What a CRL lists: serial number, revocation time and reason of each revoked,
	 * unexpired certificate of an issuer, without loading the certificates.
	 */
	@Query("select c.serialNumber, c.revokedAt, c.revocationReason from CertificateRecord c "
			+ "where c.issuerId = :issuerId and c.status = io.tether.server.certificate.CertificateRecord.Status.REVOKED "
			+ "and c.notAfter > :now")
	List<Object[]> findRevokedUnexpired(@Param("issuerId") String issuerId, @Param("now") Instant now);

	/**
	 * The unrevoked, unexpired certificates a requester obtained for one SPIFFE ID (an
	 * agent, for one of its entries), locked like {@link #findForUpdateBySerialNumber}.
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select c from CertificateRecord c where c.spiffeId = :spiffeId and c.requestedBy = :requestedBy "
			+ "and c.status = io.tether.server.certificate.CertificateRecord.Status.ISSUED and c.notAfter > :now")
	List<CertificateRecord> findLiveForUpdate(@Param("spiffeId") String spiffeId,
			@Param("requestedBy") String requestedBy, @Param("now") Instant now);

	/**
	 * How many of those there are, and when the last one expires.
	 */
	@Query("select count(c), max(c.notAfter) from CertificateRecord c where c.spiffeId = :spiffeId "
			+ "and c.requestedBy = :requestedBy "
			+ "and c.status = io.tether.server.certificate.CertificateRecord.Status.ISSUED and c.notAfter > :now")
	List<Object[]> countLive(@Param("spiffeId") String spiffeId, @Param("requestedBy") String requestedBy,
			@Param("now") Instant now);

	static Specification<CertificateRecord> hasSpiffeId(String spiffeId) {
		return (root, query, builder) -> builder.equal(root.get("spiffeId"), spiffeId);
	}

	static Specification<CertificateRecord> requestedBy(String requester) {
		return (root, query, builder) -> builder.equal(root.get("requestedBy"), requester);
	}

	static Specification<CertificateRecord> hasStatus(CertificateRecord.Status status) {
		return (root, query, builder) -> builder.equal(root.get("status"), status);
	}

	static Specification<CertificateRecord> expiresAfter(Instant instant) {
		return (root, query, builder) -> builder.greaterThan(root.get("notAfter"), instant);
	}

	static Specification<CertificateRecord> expiredAt(Instant instant) {
		return (root, query, builder) -> builder.lessThanOrEqualTo(root.get("notAfter"), instant);
	}

}
