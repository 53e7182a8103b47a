package io.tether.agent;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * Keeps one JWT-SVID of a workload in its file: obtains it, writes it atomically with the
 * workload's mode (and owner), and obtains the next at the configured fraction of its
 * life (half, by default), measured like a certificate's ({@link Renewal#untilRenewal});
 * a failed attempt backs off like a renewal ({@link Renewal#backoff}), capped by the
 * token's time left. Its attempts run on the agent's {@link Scheduler}, one at a time.
 */
final class JwtSvidRenewal {

	private final AgentConfig.Workload workload;

	private final AgentConfig.JwtSvidFile output;

	private final CertificateAuthority ca;

	private final Scheduler scheduler;

	private final Clock clock;

	private final RandomGenerator random;

	private final double fraction;

	private final double jitter;

	private final AgentStatus status;

	private Instant expiresAt;

	JwtSvidRenewal(AgentConfig.Workload workload, AgentConfig.JwtSvidFile output, CertificateAuthority ca,
			Scheduler scheduler, Clock clock, RandomGenerator random, double fraction, double jitter,
			AgentStatus status) {
		this.workload = workload;
		this.output = output;
		this.ca = ca;
		this.scheduler = scheduler;
		this.clock = clock;
		this.random = random;
		this.fraction = fraction;
		this.jitter = jitter;
		this.status = status;
	}

	/** Its name in the status and the logs. */
	String name() {
		return this.workload.spiffeId() + " jwt-svid " + this.output.audience();
	}

	/** Obtains the first token at once. */
	void start() {
		this.scheduler.schedule(() -> attempt(0), Duration.ZERO);
	}

	private void attempt(int failuresBefore) {
		Instant received = this.clock.instant();
		try {
			CertificateAuthority.Token token = this.ca.jwtSvid(this.workload.spiffeId().toString(),
					this.output.audience());
			WorkloadWriter.put(this.workload, this.output.file(),
					(token.token() + "\n").getBytes(StandardCharsets.US_ASCII));
			this.expiresAt = token.expiresAt();
			Duration wait = Renewal.untilRenewal(received, token.expiresAt(), this.clock.instant(), this.fraction,
					this.jitter, this.random);
			Log.info("jwt-svid written item=\"" + name() + "\" file=" + this.output.file() + " expiresAt="
					+ token.expiresAt() + " nextIn=" + wait);
			this.status.recordToken(name(), this.workload.spiffeId().toString(), token.expiresAt(),
					this.clock.instant().plus(wait), 0, null);
			this.scheduler.schedule(() -> attempt(0), wait);
		}
		catch (Exception ex) {
			int failures = failuresBefore + 1;
			Duration left = (this.expiresAt != null) ? Duration.between(this.clock.instant(), this.expiresAt) : null;
			Duration wait = Renewal.backoff(failures, left, this.random);
			String reason = (ex instanceof ServerClient.ServerException) ? ex.getMessage() : ex.toString();
			Log.warn("jwt-svid failed item=\"" + name() + "\" attempt=" + failures + " retryIn=" + wait + " reason=\""
					+ reason + "\"");
			this.status.recordToken(name(), this.workload.spiffeId().toString(), this.expiresAt,
					this.clock.instant().plus(wait), failures, reason);
			this.scheduler.schedule(() -> attempt(failures), wait);
		}
	}

}
