package io.tether.server.authority;

import java.time.Instant;

import io.tether.pki.CertificateSigner;
import io.tether.server.TetherProperties;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A CA certificate of the hierarchy with a way to its private key: the key sealed under
 * the KEK ({@code key_store = 'kek'}), or the label of the key in a PKCS#11 token
 * ({@code key_store = 'pkcs11'}), which never leaves it.
 */
@Entity
@Table(name = "authority")
class AuthorityEntity {

	enum Kind {

		ROOT, INTERMEDIATE

	}

	enum Status {

		/**
		 * Made ahead of use and published in the bundles, so that every relying party
		 * trusts it before anything chains to it; signs nothing yet.
		 */
		PREPARED,

		/**
		 * Signs (an intermediate) or anchors what the active intermediate signs (a root).
		 */
		ACTIVE,

		/**
		 * Replaced: signs nothing more, trusted until the last leaf it signed expires.
		 */
		RETIRING,

		/** Past its own expiry, or never used: nothing it signed is still valid. */
		RETIRED,

		/**
		 * Replaced in an emergency (its key is thought compromised): out of every bundle
		 * at once; agents re-issue what it signed.
		 */
		REVOKED

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

	@Column(name = "key_store", nullable = false, length = 16)
	private String keyStore;

	@Column(name = "sealed_key", length = 16000)
	private String sealedKey;

	@Column(name = "key_label", length = 128)
	private String keyLabel;

	@Column(name = "not_before", nullable = false)
	private Instant notBefore;

	@Column(name = "not_after", nullable = false)
	private Instant notAfter;

	@Enumerated(EnumType.STRING)
	@Column(nullable = false, length = 16)
	private Status status;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	@Column(name = "revoked_at")
	private Instant revokedAt;

	protected AuthorityEntity() {
	}

	String getParentId() {
		return this.parentId;
	}

	AuthorityEntity(String id, Kind kind, int generation, String parentId, String subject, String serialNumber,
			String keyType, String certificatePem, String keyStore, String keyReference, Instant notBefore,
			Instant notAfter, Instant createdAt) {
		this.id = id;
		this.kind = kind;
		this.generation = generation;
		this.parentId = parentId;
		this.subject = subject;
		this.serialNumber = serialNumber;
		this.keyType = keyType;
		this.certificatePem = certificatePem;
		this.keyStore = keyStore;
		if (TetherProperties.Ca.KEK.equals(keyStore)) {
			this.sealedKey = keyReference;
		}
		else {
			this.keyLabel = keyReference;
		}
		this.notBefore = notBefore;
		this.notAfter = notAfter;
		this.status = Status.PREPARED;
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

	Instant getNotBefore() {
		return this.notBefore;
	}

	String getSerialNumber() {
		return this.serialNumber;
	}

	Instant getCreatedAt() {
		return this.createdAt;
	}

	/**
	 * What the rotation plan needs to know of this authority.
	 */
	RotationPlan.Node node() {
		return new RotationPlan.Node(this.id, this.kind, this.generation, this.parentId, this.status,
				CertificateSigner.issuedAt(this.notBefore, this.notAfter), this.notAfter);
	}

	void moveTo(Status status) {
		this.status = status;
	}

	/**
	 * Revokes it: an emergency rotation replaced it.
	 */
	void revoke(Instant at) {
		this.status = Status.REVOKED;
		this.revokedAt = at;
	}

	Instant getRevokedAt() {
		return this.revokedAt;
	}

	String getCertificatePem() {
		return this.certificatePem;
	}

	/** Which store holds the key: {@code kek} or {@code pkcs11}. */
	String getKeyStore() {
		return this.keyStore;
	}

	/** What finds the key in its store: the sealed key, or its label in the token. */
	String getKeyReference() {
		return TetherProperties.Ca.KEK.equals(this.keyStore) ? this.sealedKey : this.keyLabel;
	}

}
