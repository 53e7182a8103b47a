package io.tether.pki;

import java.net.URI;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SpiffeId}: one test per rule of the SPIFFE ID specification, each
 * checking that the message names the rule.
 */
class SpiffeIdTest {

	@ParameterizedTest
	@ValueSource(strings = { "spiffe://example.org", "spiffe://example.org/workload",
			"spiffe://prod.example/ns/web/sa/frontend", "spiffe://a-b_c.9/Mixed.Case-Path_0/x",
			"spiffe://example.org/...", "spiffe://example.org/.hidden/a..b" })
	void parseWhenValidReturnsSameText(String value) {
		assertThat(SpiffeId.parse(value)).hasToString(value);
	}

	@Test
	void parseSplitsTrustDomainAndPath() {
		SpiffeId id = SpiffeId.parse("spiffe://prod.example/ns/web/sa/frontend");
		assertThat(id.trustDomain()).isEqualTo("prod.example");
		assertThat(id.path()).isEqualTo("/ns/web/sa/frontend");
		assertThat(id.isTrustDomainId()).isFalse();
		assertThat(id.isMemberOf("prod.example")).isTrue();
		assertThat(id.isMemberOf("prod.example.org")).isFalse();
	}

	@Test
	void parseWhenTrustDomainOnlyHasEmptyPath() {
		SpiffeId id = SpiffeId.parse("spiffe://example.org");
		assertThat(id.trustDomain()).isEqualTo("example.org");
		assertThat(id.path()).isEmpty();
		assertThat(id.isTrustDomainId()).isTrue();
		assertThat(id).isEqualTo(SpiffeId.ofTrustDomain("example.org"));
	}

	@Test
	void parsedIdsCompareByValue() {
		assertThat(SpiffeId.parse("spiffe://example.org/a")).isEqualTo(new SpiffeId("example.org", "/a"))
			.hasSameHashCodeAs(new SpiffeId("example.org", "/a"))
			.isNotEqualTo(SpiffeId.parse("spiffe://example.org/A"));
	}

	@Test
	void toUriIsTheSpiffeUri() {
		URI uri = SpiffeId.parse("spiffe://example.org/ns/web").toUri();
		assertThat(uri.getScheme()).isEqualTo("spiffe");
		assertThat(uri.getHost()).isEqualTo("example.org");
		assertThat(uri.getPath()).isEqualTo("/ns/web");
		assertThat(uri).hasToString("spiffe://example.org/ns/web");
	}

	@Test
	void parseWhenNullIsRejected() {
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> SpiffeId.parse(null))
			.withMessageContaining("must not be empty");
	}

	@Test
	void parseWhenEmptyIsRejected() {
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> SpiffeId.parse(""))
			.withMessageContaining("must not be empty");
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://example.org/workload", "spiffee://example.org/workload",
			"spif://example.org/workload", "example.org/workload", " spiffe://example.org/workload" })
	void parseWhenSchemeIsNotSpiffeIsRejected(String value) {
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> SpiffeId.parse(value))
			.withMessageContaining("scheme")
			.withMessageContaining("spiffe://");
	}

	@ParameterizedTest
	@ValueSource(strings = { "SPIFFE://example.org/workload", "Spiffe://example.org/workload" })
	void parseWhenSchemeIsUpperCaseIsRejected(String value) {
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> SpiffeId.parse(value))
			.withMessageContaining("scheme")
			.withMessageContaining("lower case");
	}

	@ParameterizedTest
	@ValueSource(strings = { "spiffe:example.org/workload", "spiffe:/example.org/workload" })
	void parseWhenSchemeIsNotFollowedByTwoSlashesIsRejected(String value) {
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> SpiffeId.parse(value))
			.withMessageContaining("'//'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "spiffe://exa mple.org/w", "spiffe://exa*mple.org/w", "spiffe://exämple.org/w",
			"spiffe://exa%41mple.org/w" })
	void parseWhenTrustDomainHasCharacterOutsideCharsetIsRejected(String value) {
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> SpiffeId.parse(value))
			.withMessageContaining("trust domain may hold only a-z, 0-9, '.', '-' and '_'");
	}

	@Test
	void parseWhenTrustDomainIsUpperCaseIsRejected() {
		assertThatExceptionOfType(InvalidSpiffeIdException.class)
			.isThrownBy(() -> SpiffeId.parse("spiffe://Example.org/workload"))
			.withMessageContaining("trust domain")
			.withMessageContaining("lower case")
			.withMessageContaining("'E'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "spiffe://", "spiffe:///workload" })
	void parseWhenTrustDomainIsEmptyIsRejected(String value) {
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> SpiffeId.parse(value))
			.withMessageContaining("trust domain must not be empty");
	}

	@Test
	void parseWhenTrustDomainIsLongerThan255CharactersIsRejected() {
		String trustDomain = "a".repeat(256);
		assertThatExceptionOfType(InvalidSpiffeIdException.class)
			.isThrownBy(() -> SpiffeId.parse("spiffe://" + trustDomain + "/workload"))
			.withMessageContaining("trust domain is longer than 255 characters");
	}

	@Test
	void parseWhenTrustDomainIs255CharactersIsAccepted() {
		String trustDomain = "a".repeat(255);
		assertThat(SpiffeId.parse("spiffe://" + trustDomain + "/workload").trustDomain()).isEqualTo(trustDomain);
	}

	@ParameterizedTest
	@ValueSource(strings = { "spiffe://example.org:8443/workload", "spiffe://example.org:8443" })
	void parseWhenPortPresentIsRejected(String value) {
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> SpiffeId.parse(value))
			.withMessageContaining("must not have a port");
	}

	@ParameterizedTest
	@ValueSource(strings = { "spiffe://user@example.org/workload", "spiffe://user:secret@example.org/workload" })
	void parseWhenUserInfoPresentIsRejected(String value) {
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> SpiffeId.parse(value))
			.withMessageContaining("must not have user info");
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "spiffe://example.org/workload?version=2", "spiffe://example.org?x", "spiffe://example.org/?" })
	void parseWhenQueryPresentIsRejected(String value) {
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> SpiffeId.parse(value))
			.withMessageContaining("must not have a query");
	}

	@ParameterizedTest
	@ValueSource(strings = { "spiffe://example.org/workload#part", "spiffe://example.org#", "spiffe://example.org/#x" })
	void parseWhenFragmentPresentIsRejected(String value) {
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> SpiffeId.parse(value))
			.withMessageContaining("must not have a fragment");
	}

	@ParameterizedTest
	@ValueSource(strings = { "spiffe://example.org//workload", "spiffe://example.org/ns//workload" })
	void parseWhenPathHasEmptySegmentIsRejected(String value) {
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> SpiffeId.parse(value))
			.withMessageContaining("empty segments");
	}

	@ParameterizedTest
	@ValueSource(strings = { "spiffe://example.org/", "spiffe://example.org/workload/" })
	void parseWhenPathEndsWithSlashIsRejected(String value) {
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> SpiffeId.parse(value))
			.withMessageContaining("must not end with '/'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "spiffe://example.org/.", "spiffe://example.org/..", "spiffe://example.org/ns/./web",
			"spiffe://example.org/ns/../web" })
	void parseWhenPathHasDotSegmentIsRejected(String value) {
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> SpiffeId.parse(value))
			.withMessageContaining("'.' or '..' segments");
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "spiffe://example.org/work%20load", "spiffe://example.org/%2F", "spiffe://example.org/a%" })
	void parseWhenPathIsPercentEncodedIsRejected(String value) {
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> SpiffeId.parse(value))
			.withMessageContaining("percent-encoded");
	}

	@ParameterizedTest
	@ValueSource(strings = { "spiffe://example.org/work load", "spiffe://example.org/work*", "spiffe://example.org/a:b",
			"spiffe://example.org/ä", "spiffe://example.org/a@b", "spiffe://example.org/a+b" })
	void parseWhenPathHasInvalidCharacterIsRejected(String value) {
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> SpiffeId.parse(value))
			.withMessageContaining("path segments may hold only a-z, A-Z, 0-9, '.', '-' and '_'");
	}

	@Test
	void parseWhenLongerThan2048BytesIsRejected() {
		String value = "spiffe://example.org/" + "a".repeat(2048 - "spiffe://example.org/".length() + 1);
		assertThat(value).hasSize(2049);
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> SpiffeId.parse(value))
			.withMessageContaining("longer than 2048 bytes");
	}

	@Test
	void parseWhenExactly2048BytesIsAccepted() {
		String value = "spiffe://example.org/" + "a".repeat(2048 - "spiffe://example.org/".length());
		assertThat(value).hasSize(2048);
		assertThat(SpiffeId.parse(value)).hasToString(value);
	}

	@Test
	void parseWhenLongerThan2048BytesInUtf8IsRejectedBeforeCharacterRules() {
		// 1,100 two-byte characters: under 2048 characters, over 2048 bytes
		String value = "spiffe://example.org/" + "é".repeat(1100);
		assertThat(value.length()).isLessThan(2048);
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> SpiffeId.parse(value))
			.withMessageContaining("longer than 2048 bytes");
	}

	@Test
	void constructorWhenLongerThan2048BytesIsRejected() {
		String path = "/" + "a".repeat(2048 - "spiffe://example.org".length());
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> new SpiffeId("example.org", path))
			.withMessageContaining("longer than 2048 bytes");
	}

	@Test
	void constructorWhenPathDoesNotStartWithSlashIsRejected() {
		assertThatExceptionOfType(InvalidSpiffeIdException.class)
			.isThrownBy(() -> new SpiffeId("example.org", "workload"))
			.withMessageContaining("path must start with '/'");
	}

	@Test
	void constructorWhenPathIsNullIsRejected() {
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> new SpiffeId("example.org", null))
			.withMessageContaining("path must not be null");
	}

	@Test
	void ofTrustDomainValidatesTheName() {
		assertThatExceptionOfType(InvalidSpiffeIdException.class)
			.isThrownBy(() -> SpiffeId.ofTrustDomain("Example.org"))
			.withMessageContaining("trust domain");
	}

	@Test
	void validateTrustDomainReturnsValidName() {
		assertThat(SpiffeId.validateTrustDomain("prod.example-1_a")).isEqualTo("prod.example-1_a");
	}

	@Test
	void validateTrustDomainWhenNullIsRejected() {
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> SpiffeId.validateTrustDomain(null))
			.withMessageContaining("trust domain must not be empty");
	}

	@Test
	void messageAbbreviatesLongInput() {
		String value = "spiffe://example.org/" + "a".repeat(500) + "*";
		assertThatExceptionOfType(InvalidSpiffeIdException.class).isThrownBy(() -> SpiffeId.parse(value))
			.withMessageContaining("...")
			.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(300));
	}

	@Test
	void ofCertificateReturnsItsSingleUriSan() {
		KeyPair keys = KeyType.EC_P256.generate();
		CaCredential ca = new CaCredential(new CertificateSigner(Clock.systemUTC(), new SecureRandom())
			.selfSign(new CertificateProfile.Root("CA", "Test", Duration.ofDays(1)), keys), keys.getPrivate());
		X509Certificate leaf = new CertificateSigner(Clock.systemUTC(), new SecureRandom())
			.sign(new CertificateProfile.Leaf(SpiffeId.parse("spiffe://example.org/web"), List.of("web.example"),
					Duration.ofHours(1)), KeyType.EC_P256.generate().getPublic(), ca);
		assertThat(SpiffeId.of(leaf)).contains(SpiffeId.parse("spiffe://example.org/web"));
		assertThat(SpiffeId.of(ca.certificate())).isEmpty();
	}

}
