package io.tether.api;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/status}: what {@code tether status} shows. {@code soonestExpiry} is
 * absent when no certificate is valid.
 *
 * @param trustDomain the trust domain
 * @param serverTime the server's clock
 * @param authorities the hierarchy
 * @param counts agents, entries and valid certificates
 * @param soonestExpiry the valid certificate that expires first
 * @param jobs the last run of each scheduled job, by name and replica
 */
public record Status(String trustDomain, Instant serverTime, List<AuthoritySummary> authorities, Counts counts,
		Expiry soonestExpiry, List<JobRun> jobs) {

	/**
	 * An authority relying parties trust now: prepared, active or retiring (the retired
	 * and revoked ones are in {@code GET /v1/ca}).
	 *
	 * @param kind {@code root} or {@code intermediate}
	 * @param status {@code prepared}, {@code active} or {@code retiring}
	 * @param subject its subject DN
	 * @param notAfter end of validity
	 * @param sha256 SHA-256 fingerprint of its certificate, hex
	 */
	public record AuthoritySummary(String kind, String status, String subject, Instant notAfter, String sha256) {
	}

	/**
	 * @param activeAgents agents not evicted
	 * @param agents all agents
	 * @param entries registration entries
	 * @param validCertificates certificates neither expired nor revoked
	 */
	public record Counts(long activeAgents, long agents, long entries, long validCertificates) {
	}

	/**
	 * @param serialNumber its serial number, hex
	 * @param spiffeId its SPIFFE ID
	 * @param notAfter end of validity
	 */
	public record Expiry(String serialNumber, String spiffeId, Instant notAfter) {
	}

	/**
	 * @param name the job ({@code join-token-purge}, {@code server-tls-renewal} ...)
	 * @param replica the replica it ran on, or {@code *} for a job that runs once across
	 * replicas
	 * @param runs how many times it has run there
	 * @param startedAt when its last run started
	 * @param finishedAt when its last run ended
	 * @param outcome {@code ok} or {@code failed}
	 * @param detail what it did, or why it failed
	 */
	public record JobRun(String name, String replica, long runs, Instant startedAt, Instant finishedAt, String outcome,
			String detail) {
	}

}
