package io.tether.pki;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link DnsNames#normalize}: any text is either refused with an
 * {@link IllegalArgumentException} or returned as a lower-case ASCII name that normalizes
 * to itself. Seeds are in
 * {@code src/test/resources/io/tether/pki/DnsNamesFuzzTestInputs/}.
 */
class DnsNamesFuzzTest {

	@FuzzTest
	void normalize(byte[] input) {
		String name = new String(input, StandardCharsets.UTF_8);
		String normalized;
		try {
			normalized = DnsNames.normalize(name);
		}
		catch (IllegalArgumentException ex) {
			assertThat(ex.getMessage()).isNotBlank();
			return;
		}
		assertThat(normalized).hasSizeBetween(1, DnsNames.MAX_LENGTH)
			.matches("[a-z0-9.-]+")
			.isEqualTo(name.toLowerCase(Locale.ROOT));
		assertThat(DnsNames.normalize(normalized)).isEqualTo(normalized);
	}

}
