package io.tether.workload.binding;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link DpopReplayStore} for one resource server instance: a map of {@code jti} to
 * expiry, purged of expired entries when it fills up. It is bounded: when it holds
 * {@code capacity} unexpired entries, new proofs are refused (an
 * {@link IllegalStateException}) rather than old ones forgotten, since forgetting one
 * would let it be replayed. Size it at the peak number of DPoP requests within the proof
 * window. Thread-safe.
 */
public final class InMemoryDpopReplayStore implements DpopReplayStore {

	private final Map<String, Instant> seen = new ConcurrentHashMap<>();

	private final int capacity;

	private final Clock clock;

	/**
	 * @param capacity the most unexpired {@code jti}s held at once
	 * @param clock the time source
	 */
	public InMemoryDpopReplayStore(int capacity, Clock clock) {
		if (capacity < 1) {
			throw new IllegalArgumentException("'capacity' must be positive");
		}
		this.capacity = capacity;
		this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
	}

	@Override
	public boolean firstUse(String jti, Instant expiresAt) {
		Objects.requireNonNull(jti, "'jti' must not be null");
		Objects.requireNonNull(expiresAt, "'expiresAt' must not be null");
		Instant now = this.clock.instant();
		Instant known = this.seen.get(jti);
		if (known != null && known.isAfter(now)) {
			return false;
		}
		if (this.seen.size() >= this.capacity) {
			this.seen.values().removeIf((expiry) -> !expiry.isAfter(now));
			if (this.seen.size() >= this.capacity) {
				throw new IllegalStateException("The DPoP replay store is full (" + this.capacity
						+ " unexpired proofs); refusing rather than forgetting one");
			}
		}
		boolean[] fresh = new boolean[1];
		this.seen.compute(jti, (key, expiry) -> {
			if (expiry == null || !expiry.isAfter(now)) {
				fresh[0] = true;
				return expiresAt;
			}
			return expiry;
		});
		return fresh[0];
	}

	/**
	 * @return how many entries are held now (expired ones included until a purge)
	 */
	int size() {
		return this.seen.size();
	}

}
