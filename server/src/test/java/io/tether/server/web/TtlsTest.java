package io.tether.server.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Ttls}.
 */
class TtlsTest {

	@Test
	void parseWhenIsoDurationReturnsIt() {
		assertThat(Ttls.parse("PT1H")).isEqualTo(Duration.ofHours(1));
	}

	@Test
	void parseWhenIsoDurationInLowerCaseReturnsIt() {
		assertThat(Ttls.parse("pt30s")).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void parseWhenIsoDurationInDaysReturnsIt() {
		assertThat(Ttls.parse("P1D")).isEqualTo(Duration.ofDays(1));
	}

	@Test
	void parseWhenShorthandSecondsReturnsThem() {
		assertThat(Ttls.parse("90s")).isEqualTo(Duration.ofSeconds(90));
	}

	@Test
	void parseWhenShorthandMinutesReturnsThem() {
		assertThat(Ttls.parse("15m")).isEqualTo(Duration.ofMinutes(15));
	}

	@Test
	void parseWhenShorthandHoursAndMinutesReturnsTheirSum() {
		assertThat(Ttls.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
	}

	@Test
	void parseWhenShorthandDaysReturnsThem() {
		assertThat(Ttls.parse("1d")).isEqualTo(Duration.ofDays(1));
	}

	@Test
	void parseWhenShorthandHasEveryUnitReturnsTheirSum() {
		assertThat(Ttls.parse("1d2h3m4s")).isEqualTo(Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4));
	}

	@Test
	void parseWhenShorthandInUpperCaseWithSurroundingSpaceReturnsIt() {
		assertThat(Ttls.parse(" 1H30M ")).isEqualTo(Duration.ofMinutes(90));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "abc", "-5m", "1x", "m", "1h 30m", "30m1h", "1.5h", "P", "PTxH", "-PT5M" })
	void parseWhenNotADurationIsRejected(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> Ttls.parse(text))
			.withMessage("TTL '" + text
					+ "' is neither an ISO-8601 duration (PT1H) nor a shorthand like 90s, 15m, 1h30m or 1d");
	}

	@ParameterizedTest
	@ValueSource(strings = { "0s", "0d0h0m0s", "PT0S", "P0D" })
	void parseWhenZeroIsRejected(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> Ttls.parse(text))
			.withMessage("TTL must be positive: '" + text + "'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "PT-5M", "P-1D" })
	void parseWhenNegativeIsRejected(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> Ttls.parse(text))
			.withMessage("TTL '" + text + "' is negative");
	}

	@Test
	void parseWhenShorthandOverflowsIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> Ttls.parse("106751991167301d"))
			.withMessageContaining("is neither an ISO-8601 duration");
	}

	@Test
	void parseWhenShorthandNumberTooLargeForLongIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> Ttls.parse("99999999999999999999s"))
			.withMessageContaining("99999999999999999999")
			.withMessageContaining("is neither an ISO-8601 duration");
	}

}
