package io.tether.pki;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the CSR parser the CA runs on every issuance request: any text or bytes either
 * become a {@link Csr} whose every accessor the issuance policy calls answers (or refuses
 * the key with an {@link UnsupportedKeyException}), or are refused with an
 * {@link InvalidCsrException}. Anything else would reach the API as a 500. Seeds are in
 * {@code src/test/resources/io/tether/pki/CsrFuzzTestInputs/}.
 */
class CsrFuzzTest {

	@FuzzTest
	void fromPem(byte[] input) {
		Csr csr;
		try {
			csr = Csr.fromPem(new String(input, StandardCharsets.UTF_8));
		}
		catch (InvalidCsrException ex) {
			assertThat(ex.isSignatureInvalid()).isFalse();
			return;
		}
		checkParsed(csr);
	}

	@FuzzTest
	void fromDer(byte[] input) {
		Csr csr;
		try {
			csr = Csr.fromDer(input);
		}
		catch (InvalidCsrException ex) {
			assertThat(ex.isSignatureInvalid()).isFalse();
			return;
		}
		checkParsed(csr);
	}

	/**
	 * What the issuance path asks of a parsed CSR, in its order: the policy rules read
	 * the SANs and the key type, then the proof of possession is checked and the key
	 * taken.
	 */
	private static void checkParsed(Csr csr) {
		assertThat(csr.subject()).isNotNull();
		assertThat(csr.requestedUris()).doesNotContainNull();
		assertThat(csr.requestedDnsNames()).doesNotContainNull();
		csr.requestsOtherNames();
		assertThat(Csr.fromDer(csr.encoded()).encoded()).isEqualTo(csr.encoded());
		try {
			assertThat(csr.keyType()).isNotNull();
			csr.verifyProofOfPossession();
			assertThat(csr.publicKey()).isNotNull();
		}
		catch (UnsupportedKeyException | InvalidCsrException ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
	}

}
