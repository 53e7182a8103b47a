package io.tether.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DurationText}: the CLI reads durations as the server and the agent do.
 */
class DurationTextTest {

	@Test
	void durationOptionsTakeIsoAndShorthandAsTyped() {
		DurationText converter = new DurationText();
		assertThat(converter.convert("1h30m")).isEqualTo("1h30m");
		assertThat(converter.convert("PT1H")).isEqualTo("PT1H");
		assertThat(converter.convert("500ms")).isEqualTo("500ms");
	}

	@Test
	void aTypoIsRefusedBeforeAnythingIsSent() {
		assertThatExceptionOfType(TypeConversionException.class).isThrownBy(() -> new DurationText().convert("1hr"))
			.withMessageContaining("neither an ISO-8601 duration (PT1H) nor a shorthand");
		Cli.Run run = Cli.run("token", "create", "--agent", "host-1", "--ttl", "15 minutes");
		assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
		assertThat(run.err()).contains("--ttl").contains("15 minutes").hasLineCount(1);
	}

	@Test
	void sinceTakesAnInstantOrADuration() {
		DurationText.OrInstant converter = new DurationText.OrInstant();
		assertThat(converter.convert("2026-11-25T08:00:00Z")).isEqualTo("2026-11-25T08:00:00Z");
		assertThat(converter.convert("1h")).isEqualTo("1h");
		assertThatExceptionOfType(TypeConversionException.class).isThrownBy(() -> converter.convert("yesterday"))
			.withMessageContaining("neither an instant");
	}

	@Test
	void tablesShowTheApisIsoDurationsInShorthand() {
		assertThat(DurationText.shorthand("PT1H30M")).isEqualTo("1h30m");
		assertThat(DurationText.shorthand("PT24H")).isEqualTo("1d");
		assertThat(DurationText.shorthand("not a duration")).isEqualTo("not a duration");
	}

}
