package io.tether.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When to renew, and how long to wait after a failure: the two timing decisions of the
 * agent, kept in one place.
 */
final class Renewal {

	static final Duration BACKOFF_BASE = Duration.ofSeconds(1);

	static final Duration BACKOFF_CAP = Duration.ofMinutes(5);

	private Renewal() {
	}

	/**
	 * How long to wait before renewing a certificate. The renewal point is
	 * {@code receivedAt + (notAfter - receivedAt) * (fraction + jitter * u)}, {@code u}
	 * uniform in [0,1): the lifetime is measured from when this agent received the
	 * certificate, not from {@code notBefore}, which the CA backdates for clock skew
	 * (from {@code notBefore}, a 30 s certificate backdated 30 s would be past its
	 * half-life on arrival and renew in a loop). Jitter spreads the agents of a fleet
	 * that were issued together. The wait is measured from now, so an agent restarted
	 * past the renewal point renews at once instead of waiting out a stale timer.
	 */
	static Duration untilRenewal(Instant receivedAt, Instant notAfter, Instant now, double fraction, double jitter,
			RandomGenerator random) {
		long lifetimeMillis = Math.max(0, Duration.between(receivedAt, notAfter).toMillis());
		double share = fraction + jitter * random.nextDouble();
		Instant renewAt = receivedAt.plusMillis((long) (lifetimeMillis * share));
		Duration wait = Duration.between(now, renewAt);
		return wait.isNegative() ? Duration.ZERO : wait;
	}

	/**
	 * How long to wait after the given number of consecutive failures: exponential from 1
	 * s, capped at 5 min, with "equal jitter" (half fixed, half random) so that a fleet
	 * that lost its server does not come back in lockstep, and never a tight loop.
	 */
	static Duration backoff(int failures, RandomGenerator random) {
		return backoff(failures, null, random);
	}

	/**
	 * Whether the time left, not the exponential, bounds the wait after this many
	 * failures.
	 */
	static boolean shortenedByLife(int failures, Duration left) {
		if (left == null || !left.isPositive()) {
			return false;
		}
		long exponential = (failures >= 30) ? BACKOFF_CAP.toMillis()
				: Math.min(BACKOFF_CAP.toMillis(), BACKOFF_BASE.toMillis() << Math.max(0, failures - 1));
		return lifeCap(left) < exponential;
	}

	private static long lifeCap(Duration left) {
		return Math.max(BACKOFF_BASE.toMillis(), left.toMillis() / 4);
	}

	/**
	 * {@link #backoff(int, RandomGenerator)}, capped further at a quarter of the time the
	 * certificate in use has left (but never below {@link #BACKOFF_BASE}): the fixed cap
	 * alone overshoots a short certificate's end (a 1 h certificate whose CA was away
	 * from its half life to 57 min would wait up to 5 min more, past its expiry). With a
	 * quarter, the first attempt after an outage that ends before expiry comes before it
	 * too: however close the last failed attempt was to the end of the outage, the next
	 * one covers at most a quarter of what was left.
	 * @param left the time the certificate in use has left, or {@code null} for none
	 */
	static Duration backoff(int failures, Duration left, RandomGenerator random) {
		long cap = BACKOFF_CAP.toMillis();
		if (left != null && left.isPositive()) {
			cap = Math.min(cap, lifeCap(left));
		}
		long exponential = (failures >= 30) ? cap : Math.min(cap, BACKOFF_BASE.toMillis() << Math.max(0, failures - 1));
		long half = exponential / 2;
		return Duration.ofMillis(half + (long) (random.nextDouble() * half));
	}

}
