package io.tether.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A CA certificate with its private key: what {@link CertificateSigner} signs with. The
 * key is held as a BouncyCastle key (see {@link CryptoProviders#bouncyCastleKey}), so
 * that every signature reuses the curve's precomputed tables.
 *
 * @param certificate the CA certificate
 * @param privateKey the matching private key
 */
public record CaCredential(X509Certificate certificate, PrivateKey privateKey) {

	/**
	 * Checks that both parts are present and that the certificate is a CA's.
	 * @param certificate the CA certificate
	 * @param privateKey the private key
	 */
	public CaCredential {
		Objects.requireNonNull(certificate, "'certificate' must not be null");
		Objects.requireNonNull(privateKey, "'privateKey' must not be null");
		if (certificate.getBasicConstraints() < 0) {
			throw new IllegalArgumentException("'certificate' must be a CA certificate (basicConstraints CA:TRUE)");
		}
		privateKey = CryptoProviders.bouncyCastleKey(privateKey);
	}

	@Override
	public String toString() {
		// never print key material
		return "CaCredential[" + this.certificate.getSubjectX500Principal().getName() + "]";
	}

}
