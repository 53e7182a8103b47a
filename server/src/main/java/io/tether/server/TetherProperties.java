package io.tether.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.tether.pki.KeyType;
import io.tether.pki.SpiffeId;
import io.tether.server.identity.TetherIds;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code tether.*}. Environment variables bind by Spring's relaxed
 * rules: {@code TETHER_KEK} is {@code tether.kek}, {@code TETHER_TRUST_DOMAIN} is
 * {@code tether.trust-domain}.
 *
 * @param dataDir where the embedded database, the generated KEK and the admin credentials
 * live
 * @param trustDomain the SPIFFE trust domain this CA issues for
 * @param kek the key-encryption key, base64 of 32 bytes; required with an external
 * database
 * @param kekFile a file holding the KEK, as an alternative to {@code kek}
 * @param ca lifetimes of the CA hierarchy and where its keys live
 * @param issuance issuance policy
 * @param server the server's own TLS certificate
 * @param admin the operator's admin credentials
 * @param agent node agents
 * @param jobs scheduled jobs that run once across replicas
 * @param revocation CRLs and OCSP
 * @param metrics Tether's own meters on the management port
 * @param jwtSvid JWT-SVIDs and the key that signs them
 * @param throttle rate limits on enrollment and agent issuance
 * @param operators named operators and their certificates
 */
@ConfigurationProperties(prefix = "tether", ignoreUnknownFields = false)
public record TetherProperties(@DefaultValue("./data") Path dataDir,
		@DefaultValue("tether.internal") String trustDomain, String kek, Path kekFile, @DefaultValue Ca ca,
		@DefaultValue Issuance issuance, @DefaultValue Server server, @DefaultValue Admin admin,
		@DefaultValue Agent agent, @DefaultValue Jobs jobs, @DefaultValue Revocation revocation,
		@DefaultValue Metrics metrics, @DefaultValue JwtSvid jwtSvid, @DefaultValue Throttle throttle,
		@DefaultValue Operators operators) {

	public TetherProperties {
		SpiffeId.validateTrustDomain(trustDomain);
	}

	/**
	 * @param ttl the lifetime of a JWT-SVID, at most {@link #MAX_TTL}
	 * @param keyTtl how long one signing key signs before the next takes over
	 * @param publishAhead how long before it signs a new key is published in the SPIFFE
	 * bundle, so that relying parties have it before the first token it signs
	 * @param checkInterval how often the server checks whether a new key is due
	 */
	public record JwtSvid(@DefaultValue("PT5M") Duration ttl, @DefaultValue("P7D") Duration keyTtl,
			@DefaultValue("P1D") Duration publishAhead, @DefaultValue("PT1M") Duration checkInterval) {

		/**
		 * The longest JWT-SVID lifetime: keys stay published this long after they stop
		 * signing.
		 */
		public static final Duration MAX_TTL = Duration.ofHours(1);

		public JwtSvid {
			if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
				throw new IllegalArgumentException("tether.jwt-svid.ttl must be positive and at most " + MAX_TTL);
			}
			if (checkInterval.isNegative() || checkInterval.isZero() || publishAhead.compareTo(checkInterval) < 0
					|| keyTtl.compareTo(publishAhead) <= 0) {
				throw new IllegalArgumentException("tether.jwt-svid needs 0 < check-interval <= publish-ahead < "
						+ "key-ttl (" + checkInterval + ", " + publishAhead + ", " + keyTtl + ")");
			}
		}

	}

	/**
	 * @param rootTtl the root CA's lifetime
	 * @param intermediateTtl the intermediate CA's lifetime; a new one takes over at half
	 * of it
	 * @param rotationCheckInterval how often the server checks whether the intermediate
	 * is due for rotation, and reloads the hierarchy another replica may have rotated
	 * @param keyStore where new CA keys are made and kept: {@code kek} (sealed under the
	 * KEK in the database, the default) or {@code pkcs11} (generated in a PKCS#11 token,
	 * never leaving it; the database holds only their labels)
	 * @param pkcs11 the token, for {@code key-store: pkcs11}
	 */
	public record Ca(@DefaultValue("P3650D") Duration rootTtl, @DefaultValue("P365D") Duration intermediateTtl,
			@DefaultValue("PT1M") Duration rotationCheckInterval, @DefaultValue("kek") String keyStore,
			@DefaultValue Pkcs11 pkcs11) {

		/** {@code tether.ca.key-store} for keys sealed under the KEK. */
		public static final String KEK = "kek";

		/** {@code tether.ca.key-store} for keys in a PKCS#11 token. */
		public static final String PKCS11 = "pkcs11";

		public Ca {
			if (!KEK.equals(keyStore) && !PKCS11.equals(keyStore)) {
				throw new IllegalArgumentException(
						"tether.ca.key-store must be 'kek' or 'pkcs11', not '" + keyStore + "'");
			}
		}

		/**
		 * Whether new CA keys go to a PKCS#11 token.
		 * @return {@code true} for {@code key-store: pkcs11}
		 */
		public boolean inToken() {
			return PKCS11.equals(this.keyStore);
		}

	}

	/**
	 * A PKCS#11 token that holds the CA keys, reached through the JDK's SunPKCS11
	 * provider.
	 *
	 * @param library the token's PKCS#11 module, such as
	 * {@code /usr/lib/softhsm/libsofthsm2.so}
	 * @param slot the slot id of the token ({@code softhsm2-util --show-slots},
	 * {@code pkcs11-tool -L}); when unset, {@code slotListIndex}
	 * @param slotListIndex the token's index in the module's slot list, when {@code slot}
	 * is unset (0 when both are)
	 * @param pin the user PIN ({@code TETHER_CA_PKCS11_PIN})
	 * @param pinFile a file holding the PIN, as an alternative to {@code pin}
	 */
	public record Pkcs11(Path library, Long slot, Integer slotListIndex, String pin, Path pinFile) {
	}

	/**
	 * @param maxTtl the longest certificate lifetime a request may ask for
	 * @param minTtl the shortest
	 * @param defaultTtl the lifetime when a request names none
	 * @param allowedKeyTypes key types a CSR may carry
	 * @param allowedDnsSuffixes when not empty, every requested DNS name must equal one
	 * of these or end with {@code .} + one of them
	 * @param warmup how long the issuance path runs in memory at start, before the server
	 * makes its TLS certificate and opens its port, so that the first requests find it
	 * compiled ({@code 0}: not at all; read by {@code IssuanceWarmup})
	 * @param commitBatch the most certificates one group commit records (admin and agent
	 * workload issuance; 1 to 1,000)
	 * @param commitQueue the most certificates waiting for a group commit; beyond it
	 * requests are refused with a 503 and {@code Retry-After}
	 */
	public record Issuance(@DefaultValue("PT24H") Duration maxTtl, @DefaultValue("PT1M") Duration minTtl,
			@DefaultValue("PT1H") Duration defaultTtl, @DefaultValue( {
					"ec-p256", "ec-p384", "ed25519", "rsa-2048", "rsa-3072", "rsa-4096" }) List<String> allowedKeyTypes,
			@DefaultValue List<String> allowedDnsSuffixes, @DefaultValue("PT2S") Duration warmup,
			@DefaultValue("256") int commitBatch, @DefaultValue("8192") int commitQueue){

		public Issuance {
			if (commitBatch < 1 || commitBatch > 1000) {
				throw new IllegalArgumentException("tether.issuance.commit-batch must be 1 to 1000");
			}
			if (commitQueue < commitBatch) {
				throw new IllegalArgumentException(
						"tether.issuance.commit-queue must be at least tether.issuance.commit-batch");
			}
			if (warmup.isNegative() || warmup.compareTo(Duration.ofMinutes(1)) > 0) {
				throw new IllegalArgumentException("tether.issuance.warmup must be 0 to 1 minute");
			}
			if (minTtl.isNegative() || minTtl.isZero() || maxTtl.compareTo(minTtl) < 0) {
				throw new IllegalArgumentException(
						"tether.issuance.min-ttl must be positive and not above tether.issuance.max-ttl");
			}
			allowedKeyTypes.forEach(KeyType::parse);
		}

		public List<KeyType> keyTypes() {
			return this.allowedKeyTypes.stream().map(KeyType::parse).toList();
		}

	}

	/**
	 * @param dnsNames DNS names in the server's TLS certificate, besides
	 * {@code localhost}
	 * @param tlsTtl the lifetime of the server's TLS certificate
	 * @param tlsCheckInterval how often the server checks whether its TLS certificate is
	 * due for renewal (at half its life)
	 */
	public record Server(@DefaultValue List<String> dnsNames, @DefaultValue("P30D") Duration tlsTtl,
			@DefaultValue("PT1M") Duration tlsCheckInterval) {
	}

	/**
	 * @param ttl the lifetime of the admin certificate written to the data directory
	 * @param checkInterval how often the running server checks whether the admin
	 * certificate is due for renewal (a third of its life left)
	 * @param retired when {@code true} the bootstrap admin identity is refused on every
	 * endpoint and its certificate no longer issued or renewed: named operators run the
	 * CA
	 */
	public record Admin(@DefaultValue("P90D") Duration ttl, @DefaultValue("PT1H") Duration checkInterval,
			@DefaultValue("false") boolean retired) {
	}

	/**
	 * @param tokenTtl how long an operator's one-time enrollment token works
	 * @param certificateTtl the lifetime of an operator's certificate, at enrollment and
	 * renewal
	 */
	public record Operators(@DefaultValue("PT1H") Duration tokenTtl, @DefaultValue("PT8H") Duration certificateTtl) {

		public Operators {
			if (tokenTtl.isNegative() || tokenTtl.isZero() || certificateTtl.isNegative() || certificateTtl.isZero()) {
				throw new IllegalArgumentException(
						"tether.operators.token-ttl and tether.operators.certificate-ttl must be positive");
			}
		}

	}

	/**
	 * @param ttl the lifetime of an agent's own certificate, at enrollment and renewal
	 * @param reattestGrace how long after its certificate expired an agent may still
	 * re-attest with its key ({@code POST /v1/agents/reattest}) instead of needing a new
	 * join token; zero refuses every expired certificate
	 */
	public record Agent(@DefaultValue("PT24H") Duration ttl, @DefaultValue("P7D") Duration reattestGrace) {

		public Agent {
			if (ttl.isNegative() || ttl.isZero()) {
				throw new IllegalArgumentException("tether.agent.ttl must be positive");
			}
			if (reattestGrace.isNegative()) {
				throw new IllegalArgumentException(
						"tether.agent.reattest-grace must not be negative (zero turns re-attestation off)");
			}
		}

	}

	/**
	 * @param joinTokenPurge the job that deletes long-expired join tokens
	 * @param certificateRetention the job that deletes long-expired certificate records
	 * @param auditRetention the job that deletes old audit events
	 * @param auditSeal the job that chains and checkpoints the audit log
	 */
	public record Jobs(@DefaultValue JoinTokenPurge joinTokenPurge,
			@DefaultValue CertificateRetention certificateRetention, @DefaultValue AuditRetention auditRetention,
			@DefaultValue AuditSeal auditSeal) {

		/**
		 * @param interval how often it runs, once across replicas
		 * @param lockAtLeast how long its lock is held at least: a little less than the
		 * interval, so that a replica whose schedule is offset finds it taken
		 * @param retention how long after their expiry tokens are kept
		 */
		public record JoinTokenPurge(@DefaultValue("PT1H") Duration interval,
				@DefaultValue("PT50M") Duration lockAtLeast, @DefaultValue("P1D") Duration retention) {
		}

		/**
		 * @param interval how often it runs, once across replicas
		 * @param retention how long after its {@code notAfter} a certificate's record is
		 * kept (a revoked one at least as long as a CRL is valid, so no published CRL
		 * lists a serial the server no longer knows); {@code 0} keeps every record
		 * @param batch rows deleted per transaction, so no transaction holds many rows
		 */
		public record CertificateRetention(@DefaultValue("PT10M") Duration interval,
				@DefaultValue("P3D") Duration retention, @DefaultValue("1000") int batch) {

			public CertificateRetention {
				requireRetention("certificate-retention", interval, retention, batch);
			}

		}

		/**
		 * @param interval how often it runs, once across replicas
		 * @param retention how long an audit event is kept ({@code 0} keeps every event);
		 * export the log first if it must be kept longer elsewhere
		 * @param batch rows deleted per transaction
		 */
		public record AuditRetention(@DefaultValue("PT1H") Duration interval, @DefaultValue("P365D") Duration retention,
				@DefaultValue("1000") int batch) {

			public AuditRetention {
				requireRetention("audit-retention", interval, retention, batch);
			}

		}

		/**
		 * @param interval how often it runs, once across replicas: an event stays
		 * unsealed about this long
		 * @param batch events sealed per transaction
		 * @param checkpointInterval how often, at most, it writes a signed checkpoint
		 * when events were sealed since the last one
		 * @param checkpointEvents how many sealed events, at most, lie between two
		 * checkpoints
		 * @param lateLimit how long a writer's transaction may take at most: an unsealed
		 * event below sealed ones that occurred longer than this before they were sealed
		 * was not a late commit but planted, and is left unsealed and reported
		 */
		public record AuditSeal(@DefaultValue("PT1S") Duration interval, @DefaultValue("1000") int batch,
				@DefaultValue("PT1M") Duration checkpointInterval, @DefaultValue("10000") long checkpointEvents,
				@DefaultValue("PT5M") Duration lateLimit) {

			public AuditSeal {
				if (interval.isNegative() || interval.isZero()) {
					throw new IllegalArgumentException("tether.jobs.audit-seal.interval must be positive");
				}
				if (batch < 1 || batch > 100_000) {
					throw new IllegalArgumentException("tether.jobs.audit-seal.batch must be 1 to 100000");
				}
				if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
					throw new IllegalArgumentException("tether.jobs.audit-seal.checkpoint-interval must be positive");
				}
				if (checkpointEvents < 1) {
					throw new IllegalArgumentException("tether.jobs.audit-seal.checkpoint-events must be positive");
				}
				if (lateLimit.isNegative() || lateLimit.isZero()) {
					throw new IllegalArgumentException("tether.jobs.audit-seal.late-limit must be positive");
				}
			}

		}

		private static void requireRetention(String job, Duration interval, Duration retention, int batch) {
			if (interval.isNegative() || interval.isZero()) {
				throw new IllegalArgumentException("tether.jobs." + job + ".interval must be positive");
			}
			if (retention.isNegative()) {
				throw new IllegalArgumentException(
						"tether.jobs." + job + ".retention must be zero (keep everything) or positive");
			}
			if (batch < 1 || batch > 100_000) {
				throw new IllegalArgumentException("tether.jobs." + job + ".batch must be 1 to 100000");
			}
		}

	}

	/**
	 * @param httpPort the plain-HTTP port that serves only CRLs ({@code /crl/}) and OCSP
	 * ({@code /ocsp}), which are signed and which relying parties such as nginx fetch
	 * over HTTP only; 0 picks a free port, -1 turns it off (both stay on the HTTPS port)
	 * @param baseUrl the URL relying parties reach that listener at, for the CRL and OCSP
	 * URLs written into certificates; by default {@code http://} the first of
	 * {@code tether.server.dns-names} (else this host's name) and {@code http-port}
	 * @param crlValidity how long a CRL is valid (its {@code nextUpdate}); a new one is
	 * published on every revocation and at half this
	 * @param crlCheckInterval how often the server checks, once across replicas, for a
	 * CRL to publish (new authority, revocation made on another replica, half its
	 * validity gone)
	 * @param ocspValidity how long an OCSP answer is valid ({@code nextUpdate}): how long
	 * a relying party that caches answers may miss a revocation
	 * @param ocspSignerTtl the lifetime of each replica's delegated OCSP signing
	 * certificates (one per authority, renewed at half its life)
	 * @param syncInterval how often a replica looks for revocations made on another one,
	 * to drop the OCSP answers it cached
	 * @param crlInIntermediates whether intermediates carry their root's CRL URL
	 * @param crlInLeaves whether leaves carry their intermediate's CRL URL
	 * @param ocspInLeaves whether leaves carry the OCSP URL
	 */
	public record Revocation(@DefaultValue("8480") int httpPort, String baseUrl,
			@DefaultValue("P1D") Duration crlValidity, @DefaultValue("PT10S") Duration crlCheckInterval,
			@DefaultValue("PT5M") Duration ocspValidity, @DefaultValue("P1D") Duration ocspSignerTtl,
			@DefaultValue("PT2S") Duration syncInterval, @DefaultValue("true") boolean crlInIntermediates,
			@DefaultValue("false") boolean crlInLeaves, @DefaultValue("false") boolean ocspInLeaves) {

		public Revocation {
			if (httpPort < -1 || httpPort > 65535) {
				throw new IllegalArgumentException(
						"tether.revocation.http-port must be a port, 0 for any free one or -1 for none");
			}
			for (Duration duration : List.of(crlValidity, crlCheckInterval, ocspValidity, ocspSignerTtl,
					syncInterval)) {
				if (duration.isNegative() || duration.isZero()) {
					throw new IllegalArgumentException("tether.revocation durations must be positive");
				}
			}
			if (baseUrl != null && !baseUrl.matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
				throw new IllegalArgumentException(
						"tether.revocation.base-url must be an http:// or https:// URL without query: " + baseUrl);
			}
		}

	}

	/**
	 * @param refreshInterval how often the meters read from the database (valid
	 * certificates, authorities, jobs, agents, join tokens) are read again: a scrape
	 * reads the last values and never queries
	 */
	public record Metrics(@DefaultValue("PT30S") Duration refreshInterval) {

		public Metrics {
			if (refreshInterval.isNegative() || refreshInterval.isZero()) {
				throw new IllegalArgumentException("tether.metrics.refresh-interval must be positive");
			}
		}

	}

	/**
	 * Rate limits, each a token bucket per key held in this replica's memory: a key may
	 * make {@code burst} requests at once, then {@code rate} per {@code period}.
	 *
	 * @param enrollment every attempt to enroll ({@code POST /v1/agents/enroll}), per
	 * source address (the TCP peer: behind a proxy, every client is the proxy)
	 * @param joinTokenFailures enrollment attempts whose join token was refused, per
	 * source address: once spent, the source may not try any token until it refills
	 * @param agentIssuance certificates an agent asks for, for its workloads and its own
	 * renewal, per agent
	 * @param maxTracked the most sources or agents each limit keeps a bucket for; past it
	 * the one idle longest is forgotten
	 */
	public record Throttle(@DefaultValue Enrollment enrollment, @DefaultValue JoinTokenFailures joinTokenFailures,
			@DefaultValue AgentIssuance agentIssuance, @DefaultValue("100000") int maxTracked) {

		public Throttle {
			if (maxTracked < 1 || maxTracked > 10_000_000) {
				throw new IllegalArgumentException("tether.throttle.max-tracked must be 1 to 10000000");
			}
		}

		/**
		 * The limits as they are when nothing is set.
		 * @return the defaults
		 */
		public static Throttle defaults() {
			return new Throttle(new Enrollment(true, 60, Duration.ofMinutes(1), 60),
					new JoinTokenFailures(true, 5, Duration.ofMinutes(1), 10),
					new AgentIssuance(true, 600, Duration.ofMinutes(1), 200), 100_000);
		}

		/** One limit's settings. */
		public interface Limit {

			/**
			 * @return whether the limit applies at all
			 */
			boolean enabled();

			/**
			 * @return requests a key regains per {@link #period()}
			 */
			int rate();

			/**
			 * @return the period {@link #rate()} is counted over
			 */
			Duration period();

			/**
			 * @return requests a key may make at once, from a full bucket
			 */
			int burst();

		}

		/**
		 * @param enabled whether the limit applies
		 * @param rate attempts per period
		 * @param period the period the rate counts over
		 * @param burst attempts at once
		 */
		public record Enrollment(@DefaultValue("true") boolean enabled, @DefaultValue("60") int rate,
				@DefaultValue("PT1M") Duration period, @DefaultValue("60") int burst) implements Limit {

			public Enrollment {
				requireLimit("enrollment", rate, period, burst);
			}

		}

		/**
		 * @param enabled whether the limit applies
		 * @param rate refused join tokens per period
		 * @param period the period the rate counts over
		 * @param burst refused join tokens at once
		 */
		public record JoinTokenFailures(@DefaultValue("true") boolean enabled, @DefaultValue("5") int rate,
				@DefaultValue("PT1M") Duration period, @DefaultValue("10") int burst) implements Limit {

			public JoinTokenFailures {
				requireLimit("join-token-failures", rate, period, burst);
			}

		}

		/**
		 * @param enabled whether the limit applies
		 * @param rate certificates per period
		 * @param period the period the rate counts over
		 * @param burst certificates at once
		 */
		public record AgentIssuance(@DefaultValue("true") boolean enabled, @DefaultValue("600") int rate,
				@DefaultValue("PT1M") Duration period, @DefaultValue("200") int burst) implements Limit {

			public AgentIssuance {
				requireLimit("agent-issuance", rate, period, burst);
			}

		}

		private static void requireLimit(String limit, int rate, Duration period, int burst) {
			if (rate < 1 || rate > 1_000_000 || burst < 1 || burst > 1_000_000
					|| period.compareTo(Duration.ofSeconds(1)) < 0 || period.compareTo(Duration.ofDays(1)) > 0) {
				throw new IllegalArgumentException("tether.throttle." + limit
						+ " needs a rate and a burst of 1 to 1000000 and a period of 1 second to 1 day (rate " + rate
						+ ", period " + period + ", burst " + burst + "); set tether.throttle." + limit
						+ ".enabled=false to turn it off");
			}
		}

	}

	public SpiffeId adminId() {
		return TetherIds.admin(this.trustDomain);
	}

	public SpiffeId serverId() {
		return TetherIds.server(this.trustDomain);
	}

}
