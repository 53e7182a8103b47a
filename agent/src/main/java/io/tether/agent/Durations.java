package io.tether.agent;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them: ISO-8601 ({@code PT10S}) or {@code 500ms},
 * {@code 10s}, {@code 5m}, {@code 1h}.
 */
final class Durations {

	private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h)");

	private Durations() {
	}

	static Duration parse(String text) {
		String value = text.strip().toLowerCase(Locale.ROOT);
		Matcher matcher = SIMPLE.matcher(value);
		if (matcher.matches()) {
			long amount = Long.parseLong(matcher.group(1));
			return switch (matcher.group(2)) {
				case "ms" -> Duration.ofMillis(amount);
				case "s" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				default -> Duration.ofHours(amount);
			};
		}
		try {
			return Duration.parse(value.toUpperCase(Locale.ROOT));
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("'" + text + "' is not a duration like 10s, 5m or PT10S");
		}
	}

}
