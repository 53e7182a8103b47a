package io.tether.pki;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes PEM reading (trust bundles, keys and certificates the agent, the CLI and the
 * server load): every reader either returns what it found or throws a
 * {@link PkiException}. Seeds are in
 * {@code src/test/resources/io/tether/pki/PemFuzzTestInputs/}.
 */
class PemFuzzTest {

	@FuzzTest
	void read(byte[] input) {
		String pem = new String(input, StandardCharsets.UTF_8);
		try {
			for (X509Certificate certificate : Pem.readCertificates(pem)) {
				assertThat(certificate.getPublicKey()).isNotNull();
				assertThat(Pem.readCertificate(Pem.write(certificate))).isEqualTo(certificate);
			}
		}
		catch (PkiException ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
		try {
			assertThat(Pem.readPrivateKey(pem)).isNotNull();
		}
		catch (PkiException ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
		try {
			assertThat(Pem.readPublicKey(pem)).isNotNull();
		}
		catch (PkiException ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
	}

}
