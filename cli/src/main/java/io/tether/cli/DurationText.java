package io.tether.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.tether.api.Durations;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Duration options, read with the same syntax as the server and the agent
 * ({@link Durations}): a typo is a usage error here, before anything is sent. The text is
 * passed on as typed, so the server sees what the operator wrote.
 */
final class DurationText implements ITypeConverter<String> {

	@Override
	public String convert(String value) {
		try {
			Durations.parse(value);
			return value;
		}
		catch (IllegalArgumentException ex) {
			throw new TypeConversionException(ex.getMessage());
		}
	}

	/**
	 * A duration back from now, or an instant ({@code --since}).
	 */
	static final class OrInstant implements ITypeConverter<String> {

		@Override
		public String convert(String value) {
			try {
				Instant.parse(value.strip());
				return value;
			}
			catch (DateTimeParseException ex) {
				try {
					Durations.parse(value);
					return value;
				}
				catch (IllegalArgumentException notDuration) {
					throw new TypeConversionException(
							"'" + value + "' is neither an instant like 2026-11-25T08:00:00Z nor a duration like 1h");
				}
			}
		}

	}

	/**
	 * A duration as the API writes it (ISO-8601), in the shorthand people read:
	 * {@code PT1H30M} as {@code 1h30m}.
	 */
	static String shorthand(String iso) {
		try {
			return Durations.format(Duration.parse(iso));
		}
		catch (RuntimeException ex) {
			return iso;
		}
	}

}
