package io.tether.server.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per key (a source address, an agent), in memory. A key starts with
 * {@code burst} tokens and regains {@code rate} per {@code period}, up to {@code burst}.
 * <p>
 * The table is bounded: a bucket that has refilled is forgotten (a new one would be the
 * same), and past {@code maxTracked} keys the one used longest ago is forgotten, so that
 * a flood of distinct keys costs a fixed amount of memory (and gives the flooder's oldest
 * keys a fresh burst, never refuses a key it did not see). Thread-safe: one lock, held
 * for a few arithmetic operations.
 */
final class RateLimiter {

	private final double burst;

	/** Tokens regained per nanosecond. */
	private final double perNano;

	private final int maxTracked;

	private final Clock clock;

	/** In access order: the eldest is the bucket used longest ago. */
	private final LinkedHashMap<String, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true);

	RateLimiter(int rate, Duration period, int burst, int maxTracked, Clock clock) {
		if (rate < 1 || burst < 1 || maxTracked < 1 || period.isNegative() || period.isZero()) {
			throw new IllegalArgumentException("'rate', 'period', 'burst' and 'maxTracked' must be positive");
		}
		this.burst = burst;
		this.perNano = rate / (double) period.toNanos();
		this.maxTracked = maxTracked;
		this.clock = clock;
	}

	/**
	 * Takes a token for the key if it has one.
	 * @param key the source or agent
	 * @return {@link Duration#ZERO} when a token was taken, else how long until the key
	 * has one (nothing taken)
	 */
	synchronized Duration acquire(String key) {
		Bucket bucket = refilled(key);
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return Duration.ZERO;
		}
		return untilOne(bucket);
	}

	/**
	 * Whether the key has a token, taking none.
	 * @param key the source or agent
	 * @return {@link Duration#ZERO} when it has one, else how long until it has
	 */
	synchronized Duration check(String key) {
		Bucket bucket = this.buckets.get(key);
		if (bucket == null) {
			return Duration.ZERO;
		}
		refill(bucket, this.clock.instant());
		return (bucket.tokens >= 1) ? Duration.ZERO : untilOne(bucket);
	}

	/**
	 * Takes a token for the key whether it has one or not (never below empty): for
	 * something that already happened, such as a refused join token.
	 * @param key the source or agent
	 */
	synchronized void consume(String key) {
		Bucket bucket = refilled(key);
		bucket.tokens = Math.max(0, bucket.tokens - 1);
	}

	/**
	 * @return how many keys the table holds
	 */
	synchronized int tracked() {
		return this.buckets.size();
	}

	/**
	 * Whole seconds for a {@code Retry-After} header: rounded up, so that a client that
	 * waits that long finds a token, and at least 1.
	 * @param wait how long until a token
	 * @return the seconds
	 */
	static long retryAfterSeconds(Duration wait) {
		long seconds = wait.getSeconds() + ((wait.getNano() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

	private Bucket refilled(String key) {
		Instant now = this.clock.instant();
		forgetIdle(now);
		Bucket bucket = this.buckets.get(key);
		if (bucket == null) {
			bucket = new Bucket(this.burst, now);
			this.buckets.put(key, bucket);
			if (this.buckets.size() > this.maxTracked) {
				Iterator<Bucket> eldest = this.buckets.values().iterator();
				eldest.next();
				eldest.remove();
			}
			return bucket;
		}
		refill(bucket, now);
		return bucket;
	}

	/**
	 * Forgets buckets that have refilled, from the one used longest ago until one that
	 * has not: each call does a little of the work, none scans the table.
	 */
	private void forgetIdle(Instant now) {
		Iterator<Map.Entry<String, Bucket>> entries = this.buckets.entrySet().iterator();
		while (entries.hasNext()) {
			Bucket bucket = entries.next().getValue();
			refill(bucket, now);
			if (bucket.tokens < this.burst) {
				return;
			}
			entries.remove();
		}
	}

	private void refill(Bucket bucket, Instant now) {
		// a clock that steps back refills nothing rather than draining
		long elapsed = Math.max(0, saturatedNanos(bucket.updated, now));
		bucket.tokens = Math.min(this.burst, bucket.tokens + elapsed * this.perNano);
		if (now.isAfter(bucket.updated)) {
			bucket.updated = now;
		}
	}

	private Duration untilOne(Bucket bucket) {
		return Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / this.perNano));
	}

	private static long saturatedNanos(Instant from, Instant to) {
		try {
			return Duration.between(from, to).toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	private static final class Bucket {

		private double tokens;

		private Instant updated;

		Bucket(double tokens, Instant updated) {
			this.tokens = tokens;
			this.updated = updated;
		}

	}

}
