package io.tether.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RenewalTest {

	private static final Instant RECEIVED = Instant.parse("2026-01-01T00:00:00Z");

	private static final RandomGenerator NO_JITTER = fixed(0.0);

	@Test
	void untilRenewalIsHalfTheRemainingLifetimeAtReceiptWithoutJitter() {
		Duration wait = Renewal.untilRenewal(RECEIVED, RECEIVED.plusSeconds(30), RECEIVED, 0.5, 0.1, NO_JITTER);
		assertThat(wait).isEqualTo(Duration.ofSeconds(15));
	}

	@Test
	void untilRenewalAddsJitterUpToItsShareOfTheLifetime() {
		Duration wait = Renewal.untilRenewal(RECEIVED, RECEIVED.plusSeconds(100), RECEIVED, 0.5, 0.1, fixed(0.999));
		assertThat(wait).isBetween(Duration.ofMillis(59_800), Duration.ofSeconds(60));
	}

	@Test
	void untilRenewalIsMeasuredFromNowAfterARestart() {
		Instant now = RECEIVED.plusSeconds(10);
		Duration wait = Renewal.untilRenewal(RECEIVED, RECEIVED.plusSeconds(30), now, 0.5, 0.0, NO_JITTER);
		assertThat(wait).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void untilRenewalIsZeroWhenRestartedPastTheRenewalPoint() {
		Instant now = RECEIVED.plusSeconds(20);
		assertThat(Renewal.untilRenewal(RECEIVED, RECEIVED.plusSeconds(30), now, 0.5, 0.0, NO_JITTER)).isZero();
	}

	@Test
	void untilRenewalIgnoresTheBackdatedNotBeforeSoShortCertificatesDoNotLoop() {
		// a 30 s certificate is backdated 30 s by the CA: from notBefore it would be at
		// its half-life on arrival; from receipt the agent waits 15 s
		Instant notAfter = RECEIVED.plusSeconds(30);
		assertThat(Renewal.untilRenewal(RECEIVED, notAfter, RECEIVED, 0.5, 0.0, NO_JITTER))
			.isGreaterThanOrEqualTo(Duration.ofSeconds(15));
	}

	@Test
	void backoffDoublesFromOneSecondWithEqualJitter() {
		assertThat(Renewal.backoff(1, fixed(0.0))).isEqualTo(Duration.ofMillis(500));
		assertThat(Renewal.backoff(1, fixed(0.999))).isBetween(Duration.ofMillis(990), Duration.ofSeconds(1));
		assertThat(Renewal.backoff(2, fixed(0.0))).isEqualTo(Duration.ofSeconds(1));
		assertThat(Renewal.backoff(4, fixed(0.0))).isEqualTo(Duration.ofSeconds(4));
	}

	@Test
	void backoffIsCappedAtFiveMinutesAndNeverOverflows() {
		assertThat(Renewal.backoff(10, fixed(0.999))).isLessThanOrEqualTo(Duration.ofMinutes(5));
		assertThat(Renewal.backoff(100, fixed(0.0))).isEqualTo(Duration.ofMinutes(5).dividedBy(2));
		assertThat(Renewal.backoff(Integer.MAX_VALUE, fixed(0.5))).isPositive()
			.isLessThanOrEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void backoffNeverWaitsMoreThanAQuarterOfWhatTheCertificateHasLeft() {
		assertThat(Renewal.backoff(20, Duration.ofMinutes(4), fixed(0.999))).isLessThanOrEqualTo(Duration.ofMinutes(1))
			.isGreaterThan(Duration.ofSeconds(59));
		assertThat(Renewal.backoff(20, Duration.ofHours(2), fixed(0.999))).as("the fixed cap below that")
			.isGreaterThan(Duration.ofMinutes(4).plusSeconds(59));
		assertThat(Renewal.backoff(2, Duration.ofMinutes(4), fixed(0.0))).as("the exponential below that")
			.isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void backoffNearOrPastExpiryIsStillNoTightLoop() {
		assertThat(Renewal.backoff(20, Duration.ofMillis(10), fixed(0.0))).isEqualTo(Duration.ofMillis(500));
		assertThat(Renewal.backoff(20, Duration.ofMinutes(-1), fixed(0.0))).isEqualTo(Duration.ofSeconds(150));
	}

	@Test
	void backoffIsNeverATightLoop() {
		for (int failures = 1; failures < 40; failures++) {
			assertThat(Renewal.backoff(failures, fixed(0.0))).isGreaterThanOrEqualTo(Duration.ofMillis(500));
		}
	}

	private static RandomGenerator fixed(double value) {
		return new RandomGenerator() {

			@Override
			public long nextLong() {
				return 0;
			}

			@Override
			public double nextDouble() {
				return value;
			}

		};
	}

}
