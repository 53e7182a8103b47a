package io.tether.server.registration;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A registration entry: one SPIFFE ID that one agent may obtain certificates for, with
 * the DNS names and lifetime they carry.
 */
@Entity
@Table(name = "registration_entry")
class EntryEntity {

	@Id
	@Column(length = 36)
	private String id;

	@Column(name = "spiffe_id", nullable = false, length = 2048)
	private String spiffeId;

	@Column(name = "agent_name", nullable = false, length = 63)
	private String agentName;

	@Column(name = "dns_names", nullable = false, length = 32000)
	private String dnsNames;

	@Column(name = "ttl_seconds", nullable = false)
	private long ttlSeconds;

	@Column(name = "created_by", nullable = false, length = 2048)
	private String createdBy;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	/** RFC 2253 as Java prints it; {@code null} for the default rule. */
	@Column(name = "subject", length = 1024)
	private String subject;

	/** Newline-separated; audiences hold no whitespace. */
	@Column(name = "audiences", nullable = false, length = 8000)
	private String audiences;

	protected EntryEntity() {
	}

	EntryEntity(String id, String spiffeId, String agentName, List<String> dnsNames, Duration ttl, String createdBy,
			Instant createdAt, String subject, List<String> audiences) {
		this.id = id;
		this.spiffeId = spiffeId;
		this.agentName = agentName;
		this.dnsNames = String.join(",", dnsNames);
		this.ttlSeconds = ttl.toSeconds();
		this.createdBy = createdBy;
		this.createdAt = createdAt;
		this.subject = subject;
		this.audiences = String.join("\n", audiences);
	}

	public String getId() {
		return this.id;
	}

	public String getSpiffeId() {
		return this.spiffeId;
	}

	public String getAgentName() {
		return this.agentName;
	}

	public List<String> getDnsNames() {
		return this.dnsNames.isEmpty() ? List.of() : Arrays.asList(this.dnsNames.split(","));
	}

	public Duration getTtl() {
		return Duration.ofSeconds(this.ttlSeconds);
	}

	public String getCreatedBy() {
		return this.createdBy;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	public String getSubject() {
		return this.subject;
	}

	public List<String> getAudiences() {
		return this.audiences.isEmpty() ? List.of() : Arrays.asList(this.audiences.split("\n"));
	}

}
