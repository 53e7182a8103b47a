package io.tether.server.enrollment;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A one-time join token: only the SHA-256 of its secret is stored.
 */
@Entity
@Table(name = "join_token")
class JoinTokenEntity {

	@Id
	@Column(length = 32)
	private String id;

	@Column(name = "agent_name", nullable = false, length = 63)
	private String agentName;

	@Column(name = "secret_hash", nullable = false, length = 64)
	private String secretHash;

	@Column(name = "created_by", nullable = false, length = 2048)
	private String createdBy;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	@Column(name = "expires_at", nullable = false)
	private Instant expiresAt;

	@Column(name = "used_at")
	private Instant usedAt;

	protected JoinTokenEntity() {
	}

	JoinTokenEntity(String id, String agentName, String secretHash, String createdBy, Instant createdAt,
			Instant expiresAt) {
		this.id = id;
		this.agentName = agentName;
		this.secretHash = secretHash;
		this.createdBy = createdBy;
		this.createdAt = createdAt;
		this.expiresAt = expiresAt;
	}

	String getId() {
		return this.id;
	}

	String getAgentName() {
		return this.agentName;
	}

	String getSecretHash() {
		return this.secretHash;
	}

	Instant getExpiresAt() {
		return this.expiresAt;
	}

	Instant getUsedAt() {
		return this.usedAt;
	}

}
