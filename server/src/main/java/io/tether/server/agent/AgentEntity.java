package io.tether.server.agent;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An enrolled node agent: its identity, its current certificate and when it last called.
 */
@Entity
@Table(name = "agent")
class AgentEntity {

	public enum Status {

		ACTIVE, EVICTED

	}

	@Id
	@Column(length = 63)
	private String name;

	@Column(name = "spiffe_id", nullable = false, length = 2048)
	private String spiffeId;

	@Enumerated(EnumType.STRING)
	@Column(nullable = false, length = 16)
	private Status status;

	@Column(name = "certificate_serial", nullable = false, length = 40)
	private String certificateSerial;

	@Column(name = "certificate_not_after", nullable = false)
	private Instant certificateNotAfter;

	@Column(name = "enrolled_at", nullable = false)
	private Instant enrolledAt;

	@Column(name = "last_seen_at", nullable = false)
	private Instant lastSeenAt;

	protected AgentEntity() {
	}

	AgentEntity(String name, String spiffeId, Instant enrolledAt) {
		this.name = name;
		this.spiffeId = spiffeId;
		this.status = Status.ACTIVE;
		this.enrolledAt = enrolledAt;
		this.lastSeenAt = enrolledAt;
	}

	void certificateIssued(String serial, Instant notAfter, Instant now) {
		this.certificateSerial = serial;
		this.certificateNotAfter = notAfter;
		this.lastSeenAt = now;
	}

	void seen(Instant now) {
		this.lastSeenAt = now;
	}

	void evict() {
		this.status = Status.EVICTED;
	}

	public String getName() {
		return this.name;
	}

	public String getSpiffeId() {
		return this.spiffeId;
	}

	public Status getStatus() {
		return this.status;
	}

	public String getCertificateSerial() {
		return this.certificateSerial;
	}

	public Instant getCertificateNotAfter() {
		return this.certificateNotAfter;
	}

	public Instant getEnrolledAt() {
		return this.enrolledAt;
	}

	public Instant getLastSeenAt() {
		return this.lastSeenAt;
	}

}
