package io.tether.api;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Durations}: the one syntax the server, the agent and the CLI read.
 */
class DurationsTest {

	@ParameterizedTest
	@CsvSource({ "PT1H, PT1H", "pt30s, PT30S", "P1D, PT24H", "90s, PT1M30S", "15m, PT15M", "1h30m, PT1H30M",
			"1d, PT24H", "1d2h3m4s, PT26H3M4S", "500ms, PT0.5S", "1s500ms, PT1.5S", "' 1H30M ', PT1H30M", "0s, PT0S" })
	void parseReadsIsoAndShorthand(String text, String expected) {
		assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "abc", "-5m", "1x", "m", "1h 30m", "30m1h", "1.5h", "P", "PTxH", "5ms1s",
			"106751991167301d", "99999999999999999999s" })
	void parseWhenNotADurationNamesBothForms(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text))
			.withMessage(
					"'" + text + "' is neither an ISO-8601 duration (PT1H) nor a shorthand like 90s, 15m, 1h30m or 1d");
	}

	@Test
	void parseWhenNegativeIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("PT-5M"))
			.withMessage("'PT-5M' is negative");
	}

	@ParameterizedTest
	@CsvSource({ "PT1H30M, 1h30m", "PT1M30S, 1m30s", "PT26H3M4S, 1d2h3m4s", "PT0.5S, 500ms", "PT0S, 0s" })
	void formatPrintsTheShorthandThatParsesBack(String iso, String shorthand) {
		Duration duration = Duration.parse(iso);
		assertThat(Durations.format(duration)).isEqualTo(shorthand);
		assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration);
	}

}
