package io.tether.server.authority;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A CA certificate of the hierarchy with its private key, sealed under the KEK.
 */
@Entity
@Table(name = "authority")
class AuthorityEntity {

	enum Kind {

		ROOT, INTERMEDIATE

	}

	enum Status {

		/** Signs (an intermediate) or is trusted (a root). */
		ACTIVE,

		/**
		 * Replaced: signs nothing more, trusted until the last leaf it signed expires.
		 */
		RETIRING,

		/** Past its own expiry: nothing it signed is still valid. */
		RETIRED

	}

	@Id
	@Column(length = 36)
	private String id;

	@Enumerated(EnumType.STRING)
	@Column(nullable = false, length = 16)
	private Kind kind;

	@Column(nullable = false)
	private int generation;

	@Column(name = "parent_id", length = 36)
	private String parentId;

	@Column(nullable = false, length = 1024)
	private String subject;

	@Column(name = "serial_number", nullable = false, length = 40)
	private String serialNumber;

	@Column(name = "key_type", nullable = false, length = 16)
	private String keyType;

	@Column(name = "certificate_pem", nullable = false, length = 16000)
	private String certificatePem;

	@Column(name = "sealed_key", nullable = false, length = 16000)
	private String sealedKey;

	@Column(name = "not_before", nullable = false)
	private Instant notBefore;

	@Column(name = "not_after", nullable = false)
	private Instant notAfter;

	@Enumerated(EnumType.STRING)
	@Column(nullable = false, length = 16)
	private Status status;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	protected AuthorityEntity() {
	}

	String getParentId() {
		return this.parentId;
	}

	AuthorityEntity(String id, Kind kind, int generation, String parentId, String subject, String serialNumber,
			String keyType, String certificatePem, String sealedKey, Instant notBefore, Instant notAfter,
			Instant createdAt) {
		this.id = id;
		this.kind = kind;
		this.generation = generation;
		this.parentId = parentId;
		this.subject = subject;
		this.serialNumber = serialNumber;
		this.keyType = keyType;
		this.certificatePem = certificatePem;
		this.sealedKey = sealedKey;
		this.notBefore = notBefore;
		this.notAfter = notAfter;
		this.status = Status.ACTIVE;
		this.createdAt = createdAt;
	}

	String getId() {
		return this.id;
	}

	Kind getKind() {
		return this.kind;
	}

	int getGeneration() {
		return this.generation;
	}

	String getKeyType() {
		return this.keyType;
	}

	Status getStatus() {
		return this.status;
	}

	Instant getNotAfter() {
		return this.notAfter;
	}

	void retire(Status status) {
		this.status = status;
	}

	String getCertificatePem() {
		return this.certificatePem;
	}

	String getSealedKey() {
		return this.sealedKey;
	}

}
