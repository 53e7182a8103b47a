package io.tether.cli;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimesTest {

	private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");

	@Test
	void compactShowsTheTwoLargestUnits() {
		assertThat(Times.compact(Duration.ofSeconds(42))).isEqualTo("42s");
		assertThat(Times.compact(Duration.ofMinutes(23).plusSeconds(10))).isEqualTo("23m10s");
		assertThat(Times.compact(Duration.ofDays(3).plusHours(4).plusMinutes(5))).isEqualTo("3d4h");
		assertThat(Times.compact(Duration.ofDays(1).plusMinutes(5))).isEqualTo("1d");
		assertThat(Times.compact(Duration.ofHours(2))).isEqualTo("2h");
		assertThat(Times.compact(Duration.ZERO)).isEqualTo("0s");
	}

	@Test
	void untilSaysInOrExpiredAgo() {
		assertThat(Times.until(NOW.plus(Duration.ofMinutes(23)), NOW)).isEqualTo("in 23m");
		assertThat(Times.until(NOW.minus(Duration.ofMinutes(5)), NOW)).isEqualTo("expired 5m ago");
	}

}
