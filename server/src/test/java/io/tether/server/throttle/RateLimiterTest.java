package io.tether.server.throttle;

import java.time.Instant;
import java.time.Duration;

import io.tether.pki.testing.ManualClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RateLimiter}: burst, refill, the bounded table, Retry-After.
 */
class RateLimiterTest {

	private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

	@Test
	void aKeyMakesItsBurstAtOnceThenWaitsForTheRate() {
		RateLimiter limiter = new RateLimiter(6, Duration.ofMinutes(1), 3, 100, this.clock);

		assertThat(limiter.acquire("a")).isZero();
		assertThat(limiter.acquire("a")).isZero();
		assertThat(limiter.acquire("a")).isZero();
		assertThat(limiter.acquire("a")).as("6 a minute: one every 10 s").isEqualTo(Duration.ofSeconds(10));
		this.clock.advance(Duration.ofSeconds(4));
		assertThat(limiter.acquire("a")).isEqualTo(Duration.ofSeconds(6));
		this.clock.advance(Duration.ofSeconds(6));
		assertThat(limiter.acquire("a")).isZero();
		assertThat(limiter.acquire("a")).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void keysHaveTheirOwnBuckets() {
		RateLimiter limiter = new RateLimiter(1, Duration.ofMinutes(1), 1, 100, this.clock);

		assertThat(limiter.acquire("a")).isZero();
		assertThat(limiter.acquire("a")).isPositive();
		assertThat(limiter.acquire("b")).isZero();
	}

	@Test
	void aBucketRefillsNoHigherThanItsBurst() {
		RateLimiter limiter = new RateLimiter(60, Duration.ofMinutes(1), 2, 100, this.clock);
		limiter.acquire("a");
		this.clock.advance(Duration.ofHours(5));

		assertThat(limiter.acquire("a")).isZero();
		assertThat(limiter.acquire("a")).isZero();
		assertThat(limiter.acquire("a")).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void aRefusedAcquireTakesNothing() {
		RateLimiter limiter = new RateLimiter(1, Duration.ofSeconds(10), 1, 100, this.clock);
		limiter.acquire("a");
		for (int i = 0; i < 5; i++) {
			limiter.acquire("a");
		}
		this.clock.advance(Duration.ofSeconds(10));

		assertThat(limiter.acquire("a")).isZero();
	}

	@Test
	void checkTakesNothingAndConsumeTakesEvenFromAnEmptyBucketWithoutGoingBelowIt() {
		RateLimiter limiter = new RateLimiter(1, Duration.ofSeconds(10), 2, 100, this.clock);

		assertThat(limiter.check("a")).isZero();
		assertThat(limiter.tracked()).as("a check of an unknown key keeps nothing").isZero();
		limiter.consume("a");
		limiter.consume("a");
		limiter.consume("a");
		assertThat(limiter.check("a")).isEqualTo(Duration.ofSeconds(10));
		assertThat(limiter.check("a")).isEqualTo(Duration.ofSeconds(10));
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(limiter.check("a")).isZero();
	}

	@Test
	void aBucketThatRefilledIsForgotten() {
		RateLimiter limiter = new RateLimiter(1, Duration.ofSeconds(1), 5, 100, this.clock);
		limiter.acquire("a");
		limiter.acquire("b");
		limiter.acquire("b");
		assertThat(limiter.tracked()).isEqualTo(2);

		this.clock.advance(Duration.ofSeconds(1));
		limiter.acquire("c");
		assertThat(limiter.tracked()).as("a refilled, b not yet").isEqualTo(2);
		this.clock.advance(Duration.ofSeconds(5));
		limiter.acquire("c");
		assertThat(limiter.tracked()).isEqualTo(1);
	}

	@Test
	void aFloodOfDistinctKeysHoldsTheTableAtItsCapForgettingTheOneUsedLongestAgo() {
		RateLimiter limiter = new RateLimiter(1, Duration.ofHours(1), 1, 1000, this.clock);
		limiter.acquire("victim");
		for (int i = 0; i < 100_000; i++) {
			limiter.acquire("10.0." + (i / 256) + "." + (i % 256));
			assertThat(limiter.tracked()).isLessThanOrEqualTo(1000);
		}
		assertThat(limiter.tracked()).isEqualTo(1000);
		assertThat(limiter.acquire("victim")).as("forgotten: a fresh bucket").isZero();
	}

	@Test
	void aRecentlyUsedKeyOutlivesTheFlood() {
		RateLimiter limiter = new RateLimiter(1, Duration.ofHours(1), 1, 3, this.clock);
		limiter.acquire("kept");
		limiter.acquire("x1");
		limiter.acquire("x2");
		limiter.acquire("kept");
		limiter.acquire("x3");

		assertThat(limiter.acquire("kept")).as("x1 went, not kept").isPositive();
	}

	@Test
	void aClockThatStepsBackRefillsNothing() {
		RateLimiter limiter = new RateLimiter(1, Duration.ofSeconds(10), 1, 100, this.clock);
		limiter.acquire("a");
		this.clock.advance(Duration.ofSeconds(-60));

		assertThat(limiter.acquire("a")).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void retryAfterRoundsUpToWholeSecondsAndIsAtLeastOne() {
		assertThat(RateLimiter.retryAfterSeconds(Duration.ofSeconds(10))).isEqualTo(10);
		assertThat(RateLimiter.retryAfterSeconds(Duration.ofMillis(10_001))).isEqualTo(11);
		assertThat(RateLimiter.retryAfterSeconds(Duration.ofNanos(1))).isEqualTo(1);
		assertThat(RateLimiter.retryAfterSeconds(Duration.ofMillis(999))).isEqualTo(1);
		assertThat(RateLimiter.retryAfterSeconds(Duration.ZERO)).isEqualTo(1);
	}

	@Test
	void nonPositiveSettingsAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RateLimiter(0, Duration.ofSeconds(1), 1, 1, this.clock))
			.withMessage("'rate', 'period', 'burst' and 'maxTracked' must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> new RateLimiter(1, Duration.ZERO, 1, 1, this.clock));
	}

}
