package io.tether.pki;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Tests for {@link CertificateProfile}.
 */
class CertificateProfileTest {

	private static final SpiffeId SPIFFE_ID = SpiffeId.parse("spiffe://example.org/web");

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { " ", "\t" })
	void rootWhenCommonNameBlankIsRejected(String commonName) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CertificateProfile.Root(commonName, "Tether", Duration.ofDays(1)))
			.withMessage("'commonName' must not be empty");
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { " " })
	void rootWhenOrganizationBlankIsRejected(String organization) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CertificateProfile.Root("Root CA", organization, Duration.ofDays(1)))
			.withMessage("'organization' must not be empty");
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { " " })
	void intermediateWhenCommonNameBlankIsRejected(String commonName) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CertificateProfile.Intermediate(commonName, "Tether", Duration.ofDays(1)))
			.withMessage("'commonName' must not be empty");
	}

	@Test
	void intermediateWhenOrganizationBlankIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CertificateProfile.Intermediate("Intermediate CA", "", Duration.ofDays(1)))
			.withMessage("'organization' must not be empty");
	}

	@Test
	void validityWhenZeroNegativeOrNullIsRejected() {
		for (Duration validity : new Duration[] { Duration.ZERO, Duration.ofSeconds(-1), null }) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> new CertificateProfile.Root("Root CA", "Tether", validity))
				.withMessage("'validity' must be positive");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> new CertificateProfile.Intermediate("Intermediate CA", "Tether", validity))
				.withMessage("'validity' must be positive");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> new CertificateProfile.Leaf(SPIFFE_ID, List.of(), validity))
				.withMessage("'validity' must be positive");
		}
	}

	@Test
	void leafWhenSpiffeIdNullIsRejected() {
		assertThatNullPointerException()
			.isThrownBy(() -> new CertificateProfile.Leaf(null, List.of(), Duration.ofHours(1)))
			.withMessage("'spiffeId' must not be null");
	}

	@Test
	void leafWhenDnsNamesNullIsRejected() {
		assertThatNullPointerException()
			.isThrownBy(() -> new CertificateProfile.Leaf(SPIFFE_ID, null, Duration.ofHours(1)))
			.withMessage("'dnsNames' must not be null");
	}

	@Test
	void leafCopiesDnsNames() {
		List<String> dnsNames = new ArrayList<>(List.of("web.example.org"));
		CertificateProfile.Leaf leaf = new CertificateProfile.Leaf(SPIFFE_ID, dnsNames, Duration.ofHours(1));
		dnsNames.add("evil.example.org");
		assertThat(leaf.dnsNames()).containsExactly("web.example.org");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> leaf.dnsNames().add("evil.example.org"));
	}

}
