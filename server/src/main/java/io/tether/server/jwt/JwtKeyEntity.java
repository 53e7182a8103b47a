package io.tether.server.jwt;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A JWT-SVID signing key (EC P-256) with its private key sealed under the KEK, and the
 * times that make its life: published from {@code createdAt}, signing from
 * {@code activeFrom} until {@code signUntil}, published until {@code publishUntil}.
 */
@Entity
@Table(name = "jwt_authority")
class JwtKeyEntity {

	@Id
	@Column(length = 64)
	private String kid;

	/** Base64 of the DER SubjectPublicKeyInfo. */
	@Column(name = "public_key", nullable = false, length = 4000)
	private String publicKey;

	@Column(name = "sealed_key", nullable = false, length = 16000)
	private String sealedKey;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	@Column(name = "active_from", nullable = false)
	private Instant activeFrom;

	@Column(name = "sign_until", nullable = false)
	private Instant signUntil;

	@Column(name = "publish_until", nullable = false)
	private Instant publishUntil;

	protected JwtKeyEntity() {
	}

	JwtKeyEntity(String kid, String publicKey, String sealedKey, Instant createdAt, Instant activeFrom,
			Instant signUntil, Instant publishUntil) {
		this.kid = kid;
		this.publicKey = publicKey;
		this.sealedKey = sealedKey;
		this.createdAt = createdAt;
		this.activeFrom = activeFrom;
		this.signUntil = signUntil;
		this.publishUntil = publishUntil;
	}

	String getKid() {
		return this.kid;
	}

	String getPublicKey() {
		return this.publicKey;
	}

	String getSealedKey() {
		return this.sealedKey;
	}

	Instant getCreatedAt() {
		return this.createdAt;
	}

	Instant getActiveFrom() {
		return this.activeFrom;
	}

	Instant getSignUntil() {
		return this.signUntil;
	}

	Instant getPublishUntil() {
		return this.publishUntil;
	}

	boolean signsAt(Instant now) {
		return !this.activeFrom.isAfter(now) && this.signUntil.isAfter(now);
	}

	boolean publishedAt(Instant now) {
		return !this.createdAt.isAfter(now) && this.publishUntil.isAfter(now);
	}

}
