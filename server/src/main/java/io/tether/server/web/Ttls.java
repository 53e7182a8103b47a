package io.tether.server.web;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses TTLs as ISO-8601 durations ({@code PT1H}, {@code P1D}) or as the shorthand
 * operators type ({@code 90s}, {@code 15m}, {@code 1h30m}, {@code 1d}).
 */
public final class Ttls {

	private static final Pattern SHORTHAND = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

	private Ttls() {
	}

	public static Duration parse(String text) {
		String value = text.strip();
		Duration ttl;
		if (value.toUpperCase(Locale.ROOT).startsWith("P")) {
			try {
				ttl = Duration.parse(value.toUpperCase(Locale.ROOT));
			}
			catch (DateTimeParseException ex) {
				throw invalid(text);
			}
		}
		else {
			Matcher matcher = SHORTHAND.matcher(value.toLowerCase(Locale.ROOT));
			if (value.isEmpty() || !matcher.matches()) {
				throw invalid(text);
			}
			try {
				ttl = Duration.ofDays(number(matcher.group(1)))
					.plusHours(number(matcher.group(2)))
					.plusMinutes(number(matcher.group(3)))
					.plusSeconds(number(matcher.group(4)));
			}
			catch (ArithmeticException | NumberFormatException ex) {
				throw invalid(text);
			}
		}
		if (ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("TTL must be positive: '" + text + "'");
		}
		return ttl;
	}

	private static long number(String group) {
		return (group != null) ? Long.parseLong(group) : 0;
	}

	private static IllegalArgumentException invalid(String text) {
		return new IllegalArgumentException(
				"TTL '" + text + "' is neither an ISO-8601 duration (PT1H) nor a shorthand like 90s, 15m, 1h30m or 1d");
	}

}
