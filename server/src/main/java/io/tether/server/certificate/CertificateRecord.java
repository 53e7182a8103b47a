package io.tether.server.certificate;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import org.springframework.data.domain.Persistable;

/**
 * Every certificate the CA has signed, written in the same transaction as its audit event
 * and before any byte of it leaves the server.
 */
@Entity
@Table(name = "certificate")
class CertificateRecord implements Persistable<String> {

	/** What the database stores; "expired" is derived from {@code notAfter}. */
	public enum Status {

		ISSUED, REVOKED

	}

	@Id
	@Column(name = "serial_number", length = 40)
	private String serialNumber;

	@Column(name = "spiffe_id", nullable = false, length = 2048)
	private String spiffeId;

	@Column(name = "dns_names", nullable = false, length = 32000)
	private String dnsNames;

	@Column(name = "key_type", nullable = false, length = 16)
	private String keyType;

	@Column(name = "not_before", nullable = false)
	private Instant notBefore;

	@Column(name = "not_after", nullable = false)
	private Instant notAfter;

	@Enumerated(EnumType.STRING)
	@Column(nullable = false, length = 16)
	private Status status;

	@Column(name = "x5t_s256", nullable = false, length = 43)
	private String x5tS256;

	@Column(name = "issuer_id", nullable = false, length = 36)
	private String issuerId;

	@Column(name = "requested_by", nullable = false, length = 2048)
	private String requestedBy;

	@Column(name = "certificate_pem", nullable = false, length = 64000)
	private String certificatePem;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	@Column(name = "revoked_at")
	private Instant revokedAt;

	@Column(name = "revocation_reason", length = 32)
	private String revocationReason;

	// a record is inserted once and never merged: a serial number collision must fail on
	// the primary key, not overwrite the earlier certificate
	@Transient
	private boolean isNew;

	protected CertificateRecord() {
	}

	public CertificateRecord(String serialNumber, String spiffeId, List<String> dnsNames, String keyType,
			Instant notBefore, Instant notAfter, String x5tS256, String issuerId, String requestedBy,
			String certificatePem, Instant createdAt) {
		this.serialNumber = serialNumber;
		this.spiffeId = spiffeId;
		// DNS names never contain commas, so a comma-separated column is unambiguous
		this.dnsNames = String.join(",", dnsNames);
		this.keyType = keyType;
		this.notBefore = notBefore;
		this.notAfter = notAfter;
		this.status = Status.ISSUED;
		this.x5tS256 = x5tS256;
		this.issuerId = issuerId;
		this.requestedBy = requestedBy;
		this.certificatePem = certificatePem;
		this.createdAt = createdAt;
		this.isNew = true;
	}

	@Override
	public String getId() {
		return this.serialNumber;
	}

	@Override
	public boolean isNew() {
		return this.isNew;
	}

	@PostPersist
	@PostLoad
	void markPersisted() {
		this.isNew = false;
	}

	void revoke(Instant at, String reason) {
		this.status = Status.REVOKED;
		this.revokedAt = at;
		this.revocationReason = reason;
	}

	public Instant getRevokedAt() {
		return this.revokedAt;
	}

	public String getRevocationReason() {
		return this.revocationReason;
	}

	public String getSerialNumber() {
		return this.serialNumber;
	}

	public String getSpiffeId() {
		return this.spiffeId;
	}

	public List<String> getDnsNames() {
		return this.dnsNames.isEmpty() ? List.of() : Arrays.asList(this.dnsNames.split(","));
	}

	public String getKeyType() {
		return this.keyType;
	}

	public Instant getNotBefore() {
		return this.notBefore;
	}

	public Instant getNotAfter() {
		return this.notAfter;
	}

	public Status getStatus() {
		return this.status;
	}

	public String getX5tS256() {
		return this.x5tS256;
	}

	public String getIssuerId() {
		return this.issuerId;
	}

	public String getRequestedBy() {
		return this.requestedBy;
	}

	public String getCertificatePem() {
		return this.certificatePem;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

}
