package io.tether.workload.revocation;

import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Verified answers per (issuer key id, serial), least recently used out first once the
 * bound is reached. An entry is fresh until its {@code refreshAt}; past that it is still
 * handed out as a fallback while the authority vouches for it ({@code nextUpdate}).
 * <p>
 * Thread-safe: one lock around a small map, held for a lookup only, never while asking.
 */
final class StatusCache {

	private final Map<Key, Cached> entries;

	record Key(String issuerKeyId, BigInteger serial) {
	}

	record Cached(StatusAnswer answer, Instant refreshAt) {
	}

	StatusCache(int maxSize) {
		this.entries = new LinkedHashMap<>(16, 0.75f, true) {

			private static final long serialVersionUID = 1L;

			@Override
			protected boolean removeEldestEntry(Map.Entry<Key, Cached> eldest) {
				return size() > maxSize;
			}

		};
	}

	synchronized Cached get(Key key) {
		return this.entries.get(key);
	}

	synchronized void put(Key key, Cached entry) {
		this.entries.put(key, entry);
	}

	synchronized int size() {
		return this.entries.size();
	}

}
