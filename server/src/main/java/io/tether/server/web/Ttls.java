package io.tether.server.web;

import java.time.Duration;

import io.tether.api.Durations;

/**
 * Parses TTLs in Tether's one duration syntax ({@link Durations}): ISO-8601
 * ({@code PT1H}, {@code P1D}) or the shorthand operators type ({@code 90s}, {@code 15m},
 * {@code 1h30m}, {@code 1d}); a TTL is positive.
 */
public final class Ttls {

	private Ttls() {
	}

	public static Duration parse(String text) {
		Duration ttl;
		try {
			ttl = Durations.parse(text);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("TTL " + ex.getMessage(), ex);
		}
		if (ttl.isZero()) {
			throw new IllegalArgumentException("TTL must be positive: '" + text + "'");
		}
		return ttl;
	}

}
