package io.tether.server.throttle;

import java.time.Instant;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.api.ProblemType;
import io.tether.pki.testing.ManualClock;
import io.tether.server.TetherProperties.Throttle;
import io.tether.server.web.ThrottledException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests for {@link Throttles}: which limit refuses what, and the metric.
 */
class ThrottlesTest {

	private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void refusedJoinTokensPauseTheirSourceOnlyAndRefill() {
		Throttles throttles = throttles(Throttle.defaults());
		for (int i = 0; i < 10; i++) {
			throttles.enrollmentAttempt("192.0.2.1");
			throttles.joinTokenRefused("192.0.2.1");
		}

		ThrottledException refused = catchThrowableOfType(ThrottledException.class,
				() -> throttles.enrollmentAttempt("192.0.2.1"));
		assertThat(refused.getType()).isEqualTo(ProblemType.TOO_MANY_REQUESTS);
		assertThat(refused.getRetryAfterSeconds()).as("5 a minute: one every 12 s").isEqualTo(12);
		assertThat(refused)
			.hasMessage("Too many refused join or enrollment tokens from 192.0.2.1; enrollment from this address "
					+ "is paused (tether.throttle.join-token-failures); nothing was changed. Retry in 12 s");
		assertThatNoException().isThrownBy(() -> throttles.enrollmentAttempt("192.0.2.2"));
		this.clock.advance(Duration.ofSeconds(12));
		assertThatNoException().isThrownBy(() -> throttles.enrollmentAttempt("192.0.2.1"));
		assertThat(throttled(Throttles.JOIN_TOKEN_FAILURES)).isEqualTo(1);
		assertThat(throttled(Throttles.ENROLLMENT)).isZero();
	}

	@Test
	void everyEnrollmentAttemptCountsPerSource() {
		Throttles throttles = throttles(Throttle.defaults());
		for (int i = 0; i < 60; i++) {
			throttles.enrollmentAttempt("192.0.2.1");
		}

		ThrottledException refused = catchThrowableOfType(ThrottledException.class,
				() -> throttles.enrollmentAttempt("192.0.2.1"));
		assertThat(refused.getRetryAfterSeconds()).isEqualTo(1);
		assertThat(refused).hasMessageContaining("Too many enrollment attempts from 192.0.2.1");
		assertThat(throttled(Throttles.ENROLLMENT)).isEqualTo(1);
	}

	@Test
	void aThousandAgentsEnrollingFromTheirOwnHostsAtOncePass() {
		Throttles throttles = throttles(Throttle.defaults());
		for (int host = 0; host < 1000; host++) {
			String source = "10.1." + (host / 256) + "." + (host % 256);
			// a first attempt with a mistyped token, then the right one
			throttles.enrollmentAttempt(source);
			throttles.joinTokenRefused(source);
			throttles.enrollmentAttempt(source);
		}
		assertThat(throttled(Throttles.ENROLLMENT) + throttled(Throttles.JOIN_TOKEN_FAILURES)).isZero();
	}

	@Test
	void anAgentIsLimitedOnItsOwn() {
		Throttles throttles = throttles(
				new Throttle(Throttle.defaults().enrollment(), Throttle.defaults().joinTokenFailures(),
						new Throttle.AgentIssuance(true, 1, Duration.ofSeconds(30), 2), 100));
		throttles.agentIssuance("host-1");
		throttles.agentIssuance("host-1");

		ThrottledException refused = catchThrowableOfType(ThrottledException.class,
				() -> throttles.agentIssuance("host-1"));
		assertThat(refused.getRetryAfterSeconds()).isEqualTo(30);
		assertThat(refused).hasMessage("Agent 'host-1' asked for too many certificates "
				+ "(tether.throttle.agent-issuance); nothing was changed. Retry in 30 s");
		assertThatNoException().isThrownBy(() -> throttles.agentIssuance("host-2"));
		assertThat(throttled(Throttles.AGENT_ISSUANCE)).isEqualTo(1);
	}

	@Test
	void aLimitTurnedOffRefusesNothing() {
		Throttles throttles = throttles(new Throttle(new Throttle.Enrollment(false, 1, Duration.ofHours(1), 1),
				new Throttle.JoinTokenFailures(false, 1, Duration.ofHours(1), 1),
				new Throttle.AgentIssuance(false, 1, Duration.ofHours(1), 1), 100));
		for (int i = 0; i < 100; i++) {
			throttles.enrollmentAttempt("192.0.2.1");
			throttles.joinTokenRefused("192.0.2.1");
			throttles.agentIssuance("host-1");
		}
		assertThat(this.registry.find("tether.throttled").counters()).hasSize(3)
			.allSatisfy((counter) -> assertThat(counter.count()).isZero());
	}

	private Throttles throttles(Throttle throttle) {
		return new Throttles(throttle, this.clock, this.registry);
	}

	private double throttled(String limit) {
		return this.registry.get("tether.throttled").tag("limit", limit).counter().count();
	}

}
