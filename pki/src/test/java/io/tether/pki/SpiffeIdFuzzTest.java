package io.tether.pki;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link SpiffeId#parse}: any text is either a valid SPIFFE ID, whose string form
 * parses back to the same ID, or an {@link InvalidSpiffeIdException}. Seeds are in
 * {@code src/test/resources/io/tether/pki/SpiffeIdFuzzTestInputs/}; see
 * {@code docs/architecture.md} (Fuzzing) for how to run it for real.
 */
class SpiffeIdFuzzTest {

	@FuzzTest
	void parse(byte[] input) {
		String value = new String(input, StandardCharsets.UTF_8);
		SpiffeId id;
		try {
			id = SpiffeId.parse(value);
		}
		catch (InvalidSpiffeIdException ex) {
			assertThat(ex.getMessage()).isNotBlank();
			return;
		}
		assertThat(SpiffeId.parse(id.toString())).isEqualTo(id);
		assertThat(id.toString()).isEqualTo(value);
		assertThat(SpiffeId.parse(id.toUri().toString())).isEqualTo(id);
	}

}
