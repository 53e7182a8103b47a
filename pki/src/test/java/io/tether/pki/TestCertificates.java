package io.tether.pki;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Certificates for tests that need one but do not test {@link CertificateSigner}. The
 * {@code pki-testing} builder cannot be used here: it depends on this module.
 */
final class TestCertificates {

	private static final CertificateSigner SIGNER = new CertificateSigner(Clock.systemUTC(), new SecureRandom());

	private TestCertificates() {
	}

	static CaCredential root(String commonName) {
		KeyPair keys = KeyType.EC_P256.generate();
		X509Certificate certificate = SIGNER
			.selfSign(new CertificateProfile.Root(commonName, "Tether Test", Duration.ofDays(30)), keys);
		return new CaCredential(certificate, keys.getPrivate());
	}

	static CaCredential intermediate(CaCredential issuer) {
		KeyPair keys = KeyType.EC_P256.generate();
		X509Certificate certificate = SIGNER.sign(
				new CertificateProfile.Intermediate("Test Intermediate CA", "Tether Test", Duration.ofDays(7)),
				keys.getPublic(), issuer);
		return new CaCredential(certificate, keys.getPrivate());
	}

	static X509Certificate leaf(CaCredential issuer, KeyPair keys, String spiffeId, String... dnsNames) {
		return SIGNER.sign(
				new CertificateProfile.Leaf(SpiffeId.parse(spiffeId), List.of(dnsNames), Duration.ofHours(1)),
				keys.getPublic(), issuer);
	}

}
