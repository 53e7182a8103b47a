package io.tether.server.operator;

import java.time.Instant;

import io.tether.server.security.Role;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A named operator: its role, whether it is still active, and its one-time enrollment
 * token (only the SHA-256 of the token's secret is stored).
 */
@Entity
@Table(name = "operator_account")
class OperatorEntity {

	enum State {

		ACTIVE, REVOKED

	}

	@Id
	@Column(length = 63)
	private String name;

	@Enumerated(EnumType.STRING)
	@Column(nullable = false, length = 16)
	private Role role;

	@Enumerated(EnumType.STRING)
	@Column(nullable = false, length = 16)
	private State state;

	@Column(name = "created_by", nullable = false, length = 2048)
	private String createdBy;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	@Column(name = "revoked_by", length = 2048)
	private String revokedBy;

	@Column(name = "revoked_at")
	private Instant revokedAt;

	@Column(name = "token_hash", length = 64)
	private String tokenHash;

	@Column(name = "token_expires_at")
	private Instant tokenExpiresAt;

	@Column(name = "token_used_at")
	private Instant tokenUsedAt;

	protected OperatorEntity() {
	}

	OperatorEntity(String name, Role role, String createdBy, Instant createdAt, String tokenHash,
			Instant tokenExpiresAt) {
		this.name = name;
		this.role = role;
		this.state = State.ACTIVE;
		this.createdBy = createdBy;
		this.createdAt = createdAt;
		this.tokenHash = tokenHash;
		this.tokenExpiresAt = tokenExpiresAt;
	}

	void revoke(String by, Instant at) {
		this.state = State.REVOKED;
		this.revokedBy = by;
		this.revokedAt = at;
		// a token not yet used must not enroll a revoked operator
		this.tokenHash = null;
	}

	/**
	 * A new one-time enrollment token for an active operator, replacing any earlier one,
	 * used or not.
	 */
	void newToken(String hash, Instant expiresAt) {
		this.tokenHash = hash;
		this.tokenExpiresAt = expiresAt;
		this.tokenUsedAt = null;
	}

	String getName() {
		return this.name;
	}

	Role getRole() {
		return this.role;
	}

	State getState() {
		return this.state;
	}

	String getCreatedBy() {
		return this.createdBy;
	}

	Instant getCreatedAt() {
		return this.createdAt;
	}

	Instant getRevokedAt() {
		return this.revokedAt;
	}

	String getTokenHash() {
		return this.tokenHash;
	}

	Instant getTokenExpiresAt() {
		return this.tokenExpiresAt;
	}

	Instant getTokenUsedAt() {
		return this.tokenUsedAt;
	}

}
