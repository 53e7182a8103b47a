package io.tether.pki;

import java.io.InputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Thumbprints}.
 */
class ThumbprintsTest {

	@Test
	void x5tS256OfRfc9440ExampleCertificate() throws Exception {
		assertThat(Thumbprints.x5tS256(rfc9440Certificate())).isEqualTo("v68ffgcPn6jdYpBfFY2nP4ShE2Yk-6_Mk5PI9yh6aes");
	}

	@Test
	void x5tS256OfDerEqualsThatOfCertificate() throws Exception {
		X509Certificate certificate = rfc9440Certificate();
		assertThat(Thumbprints.x5tS256(certificate.getEncoded())).isEqualTo(Thumbprints.x5tS256(certificate));
	}

	@Test
	void x5tS256Is43Base64UrlCharactersWithoutPadding() throws Exception {
		for (int i = 0; i < 10; i++) {
			X509Certificate certificate = TestCertificates.root("Test Root CA " + i).certificate();
			assertThat(Thumbprints.x5tS256(certificate)).hasSize(43).matches("[A-Za-z0-9_-]{43}");
		}
	}

	@Test
	void x5tS256DiffersBetweenCertificates() {
		assertThat(Thumbprints.x5tS256(TestCertificates.root("Test Root CA").certificate()))
			.isNotEqualTo(Thumbprints.x5tS256(TestCertificates.root("Test Root CA").certificate()));
	}

	@Test
	void sha256HexOfRfc9440ExampleCertificateIsOpensslFingerprint() throws Exception {
		// openssl x509 -noout -fingerprint -sha256, lower case without colons
		assertThat(Thumbprints.sha256Hex(rfc9440Certificate().getEncoded()))
			.isEqualTo("bfaf1f7e070f9fa8dd62905f158da73f84a1136624fbafcc9393c8f7287a69eb");
		assertThat(Thumbprints.sha256Hex(rfc9440Certificate()))
			.isEqualTo("bfaf1f7e070f9fa8dd62905f158da73f84a1136624fbafcc9393c8f7287a69eb");
	}

	private static X509Certificate rfc9440Certificate() throws Exception {
		try (InputStream in = ThumbprintsTest.class.getResourceAsStream("rfc9440-client-cert.pem")) {
			assertThat(in).as("rfc9440-client-cert.pem").isNotNull();
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
	}

}
