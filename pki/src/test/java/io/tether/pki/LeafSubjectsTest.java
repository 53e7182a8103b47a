package io.tether.pki;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link LeafSubjects}.
 */
class LeafSubjectsTest {

	@Test
	void defaultIsPathAsCommonNameAndTrustDomainAsOrganization() {
		X500Principal subject = LeafSubjects.defaultFor(SpiffeId.parse("spiffe://tether.internal/ns/web"));
		assertThat(subject.getName()).isEqualTo("CN=ns/web,O=tether.internal");
		assertThat(subject.getName(X500Principal.RFC1779)).isEqualTo("CN=ns/web, O=tether.internal");
	}

	@Test
	void defaultIsStable() {
		SpiffeId id = SpiffeId.parse("spiffe://tether.internal/ns/web");
		assertThat(LeafSubjects.defaultFor(id).getEncoded()).isEqualTo(LeafSubjects.defaultFor(id).getEncoded());
	}

	@Test
	void defaultKeepsPathOf64Characters() {
		String path = "a".repeat(64);
		assertThat(LeafSubjects.defaultFor(SpiffeId.parse("spiffe://td/" + path)).getName())
			.isEqualTo("CN=" + path + ",O=td");
	}

	@Test
	void defaultHashesWholeIdWhenPathIsLongerThan64Characters() {
		String id = "spiffe://td/" + "a".repeat(65);
		// SHA-256 of the whole SPIFFE ID, base32 (RFC 4648) lower case without padding
		String expected = "sha256:" + base32(sha256(id));
		assertThat(LeafSubjects.defaultFor(SpiffeId.parse(id)).getName()).isEqualTo("CN=" + expected + ",O=td");
		assertThat(expected).hasSize(59);
	}

	@Test
	void defaultHashesTrustDomainLongerThan64Characters() {
		String trustDomain = "x".repeat(65) + ".example";
		String expected = "sha256:" + base32(sha256(trustDomain));
		assertThat(LeafSubjects.defaultFor(SpiffeId.parse("spiffe://" + trustDomain + "/ns/web")).getName())
			.isEqualTo("CN=ns/web,O=" + expected);
	}

	@Test
	void defaultOfTrustDomainIdHasNoCommonName() {
		assertThat(LeafSubjects.defaultFor(SpiffeId.ofTrustDomain("td")).getName()).isEqualTo("O=td");
	}

	@Test
	void defaultsDifferForEverySpiffeId() {
		String longPath = "p".repeat(70);
		List<String> ids = List.of("spiffe://td/a", "spiffe://td/a/b", "spiffe://td/" + longPath,
				"spiffe://td/" + longPath + "x", "spiffe://other/a", "spiffe://" + "t".repeat(70) + "/a",
				"spiffe://" + "t".repeat(71) + "/a", "spiffe://td");
		Set<X500Principal> subjects = new HashSet<>();
		ids.forEach((id) -> subjects.add(LeafSubjects.defaultFor(SpiffeId.parse(id))));
		assertThat(subjects).hasSameSizeAs(ids);
	}

	@Test
	void hashedCommonNameCannotBeAPath() {
		// a hashed value starts with "sha256:", and ':' is not allowed in a SPIFFE path
		String id = "spiffe://td/" + "a".repeat(65);
		String hashed = "sha256:" + base32(sha256(id));
		assertThatExceptionOfType(InvalidSpiffeIdException.class)
			.isThrownBy(() -> SpiffeId.parse("spiffe://td/" + hashed));
	}

	@Test
	void defaultForNullIsRejected() {
		assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> LeafSubjects.defaultFor(null)))
			.isInstanceOf(NullPointerException.class)
			.hasMessage("'spiffeId' must not be null");
	}

	@Test
	void parseKeepsAnRfc4514Subject() {
		X500Principal subject = LeafSubjects.parse("CN=orders,OU=payments,O=Example Corp");
		assertThat(subject.getName()).isEqualTo("CN=orders,OU=payments,O=Example Corp");
	}

	@Test
	void parseAcceptsEscapedCommas() {
		assertThat(LeafSubjects.parse("CN=orders\\, EU,O=Example").getName()).isEqualTo("CN=orders\\, EU,O=Example");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "CN", "CN=a,,O=b", "=x" })
	void parseRejectsWhatIsNoDistinguishedName(String value) {
		assertThatIllegalArgumentException().isThrownBy(() -> LeafSubjects.parse(value));
	}

	@Test
	void parseRejectsEmptyValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> LeafSubjects.parse("CN=,O=Example"))
			.withMessage("has an empty CN");
	}

	@Test
	void parseRejectsValueBeyondItsUpperBound() {
		assertThatIllegalArgumentException().isThrownBy(() -> LeafSubjects.parse("CN=" + "a".repeat(65)))
			.withMessage("CN '" + "a".repeat(65) + "' is longer than 64 characters");
		assertThat(LeafSubjects.parse("CN=" + "a".repeat(64)).getName()).isEqualTo("CN=" + "a".repeat(64));
		assertThat(LeafSubjects.parse("L=" + "a".repeat(128)).getName()).isEqualTo("L=" + "a".repeat(128));
	}

	/**
	 * The server stores a subject as its RFC 4514 string and reads it back; a carriage
	 * return at the start or end of a value is written in a form that does not read back
	 * (found by {@code RequestFieldsFuzzTest}).
	 */
	@ParameterizedTest
	@ValueSource(strings = { "CN=\rorders", "CN=orders\r", "O=Example,CN= \rorders" })
	void parseRejectsSubjectWhoseStringFormDoesNotReadBack(String value) {
		assertThatIllegalArgumentException().isThrownBy(() -> LeafSubjects.parse(value))
			.withMessageContaining("does not read back");
	}

	@Test
	void parseAcceptsSubjectWhoseStringFormReadsBack() {
		X500Principal subject = LeafSubjects.parse("CN=a\\,b,O=Example\\+Corp\tLtd");
		assertThat(new X500Principal(subject.getName())).isEqualTo(subject);
	}

	@Test
	void parseRejectsMoreThanTenAttributes() {
		String eleven = String.join(",", java.util.Collections.nCopies(11, "OU=x"));
		assertThatIllegalArgumentException().isThrownBy(() -> LeafSubjects.parse(eleven))
			.withMessage("has 11 attributes, at most 10 are allowed");
	}

	@Test
	void parseRejectsMultiValuedRdn() {
		assertThatIllegalArgumentException().isThrownBy(() -> LeafSubjects.parse("CN=a+OU=b,O=c"))
			.withMessage("must not have multi-valued RDNs ('+')");
	}

	@Test
	void parseRejectsOtherAttributeTypes() {
		assertThatIllegalArgumentException().isThrownBy(() -> LeafSubjects.parse("CN=a,EMAILADDRESS=a@example.com"))
			.withMessageStartingWith("uses attribute E");
		assertThatIllegalArgumentException().isThrownBy(() -> LeafSubjects.parse("1.2.3.4=#0403616263"))
			.withMessageStartingWith("uses attribute 1.2.3.4");
	}

	@Test
	void parseRejectsCountryThatIsNotTwoLetters() {
		assertThatIllegalArgumentException().isThrownBy(() -> LeafSubjects.parse("C=USA,O=Example"));
		assertThat(LeafSubjects.parse("C=US,O=Example").getName()).isEqualTo("C=US,O=Example");
	}

	private static byte[] sha256(String value) {
		try {
			return java.security.MessageDigest.getInstance("SHA-256")
				.digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String base32(byte[] bytes) {
		return org.bouncycastle.util.encoders.Base32.toBase32String(bytes)
			.replace("=", "")
			.toLowerCase(java.util.Locale.ROOT);
	}

}
