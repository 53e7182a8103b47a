package io.tether.authz;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.pki.KeyEncryptionKey;
import io.tether.pki.testing.ManualClock;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduled jobs report {@code tether_job_last_success_seconds}: the time of their
 * last success on this instance, kept through failures.
 */
class AuthzJobsTest {

	private final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T09:00:00Z"));

	private final JdbcTemplate jdbc = AuthzTestDatabase.create();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final AuthzJobs jobs = new AuthzJobs(
			new SigningKeys(this.jdbc, KeyEncryptionKey.generate(new SecureRandom()), Duration.ofHours(24),
					Duration.ofMinutes(5), Duration.ofSeconds(10), this.clock),
			new DatabaseAuthorizations(this.jdbc, new NoClients(), this.clock),
			new AuthzMetrics(this.registry, this.clock));

	@Test
	void eachJobsSuccessIsItsLastSuccessTimeOnThisReplica() {
		this.jobs.rotateSigningKeys();
		this.jobs.reloadSigningKeys();
		this.jobs.purgeExpiredTokens();
		long now = this.clock.instant().getEpochSecond();
		for (String job : List.of(AuthzJobs.ROTATION, AuthzJobs.RELOAD, AuthzJobs.PURGE)) {
			assertThat(lastSuccess(job).value()).as(job).isEqualTo(now);
		}
		assertThat(this.registry.find("tether.job.last.success").gauges())
			.extracting((gauge) -> gauge.getId().getTag("replica"))
			.hasSize(3)
			.doesNotContainNull()
			.containsOnly(lastSuccess(AuthzJobs.PURGE).getId().getTag("replica"));
		assertThat(lastSuccess(AuthzJobs.PURGE).getId().getBaseUnit()).isEqualTo("seconds");
	}

	@Test
	void laterSuccessMovesTheTimeAndAFailureKeepsIt() {
		this.jobs.purgeExpiredTokens();
		this.jobs.reloadSigningKeys();
		this.clock.advance(Duration.ofMinutes(1));
		this.jobs.purgeExpiredTokens();
		long success = this.clock.instant().getEpochSecond();
		assertThat(lastSuccess(AuthzJobs.PURGE).value()).isEqualTo(success);

		this.jdbc.execute("drop table oauth2_authorization");
		this.jdbc.execute("drop table authz_signing_key");
		this.clock.advance(Duration.ofMinutes(1));
		this.jobs.purgeExpiredTokens();
		this.jobs.reloadSigningKeys();
		assertThat(lastSuccess(AuthzJobs.PURGE).value()).isEqualTo(success);
		assertThat(lastSuccess(AuthzJobs.RELOAD).value()).isEqualTo(success - 60);
	}

	@Test
	void jobThatNeverSucceededHasNoGauge() {
		this.jdbc.execute("drop table authz_signing_key");
		this.jobs.rotateSigningKeys();
		assertThat(this.registry.find("tether.job.last.success").tag("job", AuthzJobs.ROTATION).gauge()).isNull();
	}

	private Gauge lastSuccess(String job) {
		return this.registry.get("tether.job.last.success").tag("job", job).gauge();
	}

	/** Purging needs no clients. */
	private static final class NoClients implements RegisteredClientRepository {

		@Override
		public void save(RegisteredClient registeredClient) {
			throw new UnsupportedOperationException();
		}

		@Override
		public RegisteredClient findById(String id) {
			return null;
		}

		@Override
		public RegisteredClient findByClientId(String clientId) {
			return null;
		}

	}

}
