package io.tether.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of Tether, for the API's {@code ttl} and query members, the
 * agent's configuration and the CLI: an ISO-8601 duration ({@code PT1H}, {@code P1D}) or
 * the shorthand people type ({@code 500ms}, {@code 90s}, {@code 15m}, {@code 1h30m},
 * {@code 1d}), case-insensitive. {@link #format} prints the shorthand back.
 * <p>
 * Stateless and thread-safe.
 */
public final class Durations {

	private static final Pattern SHORTHAND = Pattern
		.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");

	private Durations() {
	}

	/**
	 * Parses a duration.
	 * @param text the text, surrounding spaces ignored
	 * @return the duration, zero or positive
	 * @throws IllegalArgumentException if the text is neither form, negative, or too
	 * large
	 */
	public static Duration parse(String text) {
		if (text == null) {
			throw new IllegalArgumentException("A duration is required, such as 90s, 15m, 1h30m, 1d or PT1H");
		}
		String value = text.strip();
		Duration duration;
		if (value.toUpperCase(Locale.ROOT).startsWith("P")) {
			try {
				duration = Duration.parse(value.toUpperCase(Locale.ROOT));
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
				duration = Duration.ofDays(number(matcher.group(1)))
					.plusHours(number(matcher.group(2)))
					.plusMinutes(number(matcher.group(3)))
					.plusSeconds(number(matcher.group(4)))
					.plusMillis(number(matcher.group(5)));
			}
			catch (ArithmeticException | NumberFormatException ex) {
				throw invalid(text);
			}
		}
		if (duration.isNegative()) {
			throw new IllegalArgumentException("'" + text + "' is negative");
		}
		return duration;
	}

	/**
	 * Prints a duration in the shorthand {@link #parse} reads, exactly: {@code 1h30m},
	 * {@code 90s} is printed {@code 1m30s}, {@code 0s} for zero.
	 * @param duration a duration, zero or positive
	 * @return the shorthand
	 */
	public static String format(Duration duration) {
		if (duration.isNegative()) {
			throw new IllegalArgumentException("'duration' must not be negative");
		}
		StringBuilder text = new StringBuilder();
		append(text, duration.toDays(), "d");
		append(text, duration.toHoursPart(), "h");
		append(text, duration.toMinutesPart(), "m");
		append(text, duration.toSecondsPart(), "s");
		append(text, duration.toMillisPart(), "ms");
		return text.isEmpty() ? "0s" : text.toString();
	}

	private static void append(StringBuilder text, long amount, String unit) {
		if (amount > 0) {
			text.append(amount).append(unit);
		}
	}

	private static long number(String group) {
		return (group != null) ? Long.parseLong(group) : 0;
	}

	private static IllegalArgumentException invalid(String text) {
		return new IllegalArgumentException(
				"'" + text + "' is neither an ISO-8601 duration (PT1H) nor a shorthand like 90s, 15m, 1h30m or 1d");
	}

}
