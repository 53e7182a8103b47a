package io.tether.pki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link DnsNames}: valid names come back in lower case, and each refusal names
 * the rule the name breaks.
 */
class DnsNamesTest {

	private static final String LABEL_63 = "a".repeat(63);

	@ParameterizedTest
	@CsvSource({ "web.example.org, web.example.org", "Web.Example.ORG, web.example.org", "localhost, localhost", "A, a",
			"xn--bcher-kva.example, xn--bcher-kva.example", "a-b.c-d.example, a-b.c-d.example",
			"1.2.3.example, 1.2.3.example", "10-0-0-1.internal, 10-0-0-1.internal", "web1.internal, web1.internal" })
	void normalizeWhenValidReturnsLowerCase(String name, String expected) {
		assertThat(DnsNames.normalize(name)).isEqualTo(expected);
	}

	@Test
	void normalizeWhenNonAsciiLetterThatLowerCasesToAsciiIsRejected() {
		// U+212A KELVIN SIGN lower-cases to ASCII 'k'
		assertThatIllegalArgumentException().isThrownBy(() -> DnsNames.normalize("\u212Aube.example"))
			.withMessageContaining("ASCII");
	}

	@Test
	void normalizeWhenExactly253CharactersIsAccepted() {
		String name = LABEL_63 + "." + LABEL_63 + "." + LABEL_63 + "." + "b".repeat(61);
		assertThat(name).hasSize(DnsNames.MAX_LENGTH);
		assertThat(DnsNames.normalize(name)).isEqualTo(name);
	}

	@Test
	void normalizeWhenLabelOf63CharactersIsAccepted() {
		assertThat(DnsNames.normalize(LABEL_63 + ".example")).isEqualTo(LABEL_63 + ".example");
	}

	@ParameterizedTest
	@NullAndEmptySource
	void normalizeWhenEmptyIsRejected(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> DnsNames.normalize(name))
			.withMessage("DNS name must not be empty");
	}

	@Test
	void normalizeWhenLongerThan253CharactersIsRejected() {
		String name = LABEL_63 + "." + LABEL_63 + "." + LABEL_63 + "." + "b".repeat(62);
		assertThat(name).hasSize(254);
		assertThatIllegalArgumentException().isThrownBy(() -> DnsNames.normalize(name))
			.withMessage("DNS name is longer than 253 characters");
	}

	@Test
	void normalizeWhenLabelLongerThan63CharactersIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DnsNames.normalize("a".repeat(64) + ".example"))
			.withMessageContaining("labels must be 1 to 63 characters");
	}

	@ParameterizedTest
	@ValueSource(strings = { "web..example.org", "web.example.org.", ".web.example.org", "." })
	void normalizeWhenLabelEmptyOrTrailingDotIsRejected(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> DnsNames.normalize(name))
			.withMessageContaining("labels must be 1 to 63 characters (no empty label, no trailing dot)")
			.withMessageContaining("'" + name + "'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "-web.example.org", "web-.example.org", "web.example.org-", "-" })
	void normalizeWhenLabelStartsOrEndsWithHyphenIsRejected(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> DnsNames.normalize(name))
			.withMessageContaining("must not start or end with '-'")
			.withMessageContaining("'" + name + "'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "_acme-challenge.example.org", "web_1.example.org", "web example.org", "web@example.org",
			"web:443", "b\u00fccher.example", "a.*.example.org", "[::1]", "::1", "web/path.example" })
	void normalizeWhenCharacterNotAllowedIsRejected(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> DnsNames.normalize(name))
			.withMessageContaining("may hold only letters, digits, '-' and '.'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "*.example.org", "*.EXAMPLE.org" })
	void normalizeWhenWildcardIsRejected(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> DnsNames.normalize(name))
			.withMessageContaining("Wildcard DNS names are not issued")
			.withMessageContaining("'" + name + "'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "10.0.0.1", "127.0.0.1", "192.168.1.255", "123" })
	void normalizeWhenIpAddressLiteralIsRejected(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> DnsNames.normalize(name))
			.withMessage("'" + name + "' is an IP address, not a DNS name");
	}

}
