package io.tether.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link Durations#parse}, the one duration syntax of the API's {@code ttl}, the
 * agent's configuration and the CLI: any text is either refused with an
 * {@link IllegalArgumentException} or read as a duration that is not negative and, to the
 * millisecond, prints back as shorthand that reads as the same duration. Seeds are in
 * {@code src/test/resources/io/tether/api/DurationsFuzzTestInputs/}.
 */
class DurationsFuzzTest {

	@FuzzTest
	void parse(byte[] input) {
		String text = new String(input, StandardCharsets.UTF_8);
		Duration duration;
		try {
			duration = Durations.parse(text);
		}
		catch (IllegalArgumentException ex) {
			assertThat(ex.getMessage()).isNotBlank();
			return;
		}
		assertThat(duration.isNegative()).isFalse();
		// the shorthand has no unit below a millisecond
		assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration.truncatedTo(ChronoUnit.MILLIS));
	}

}
