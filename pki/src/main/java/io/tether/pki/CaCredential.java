package io.tether.pki;

import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A CA certificate with its private key and the provider that signs with that key: what
 * {@link CertificateSigner} and {@link Crls} sign with. A software key is held as a
 * BouncyCastle key (see {@link CryptoProviders#bouncyCastleKey}) and signed with
 * BouncyCastle's provider, so that every signature reuses the curve's precomputed tables.
 * A key that never leaves a hardware token (a PKCS#11 key) is kept as it is and signed by
 * the provider that holds it.
 *
 * @param certificate the CA certificate
 * @param privateKey the matching private key
 * @param provider the provider whose {@link java.security.Signature} signs with the key
 */
public record CaCredential(X509Certificate certificate, PrivateKey privateKey, Provider provider) {

	/**
	 * Checks that every part is present and that the certificate is a CA's; converts a
	 * software key to a BouncyCastle key when the provider is BouncyCastle's.
	 * @param certificate the CA certificate
	 * @param privateKey the private key
	 * @param provider the provider that signs with the key
	 */
	public CaCredential {
		Objects.requireNonNull(certificate, "'certificate' must not be null");
		Objects.requireNonNull(privateKey, "'privateKey' must not be null");
		Objects.requireNonNull(provider, "'provider' must not be null");
		if (certificate.getBasicConstraints() < 0) {
			throw new IllegalArgumentException("'certificate' must be a CA certificate (basicConstraints CA:TRUE)");
		}
		if (provider == CryptoProviders.bouncyCastle()) {
			privateKey = CryptoProviders.bouncyCastleKey(privateKey);
		}
	}

	/**
	 * A CA with a software key, signed with BouncyCastle's provider.
	 * @param certificate the CA certificate
	 * @param privateKey the matching private key, PKCS#8-encodable
	 */
	public CaCredential(X509Certificate certificate, PrivateKey privateKey) {
		this(certificate, privateKey, CryptoProviders.bouncyCastle());
	}

	@Override
	public String toString() {
		// never print key material
		return "CaCredential[" + this.certificate.getSubjectX500Principal().getName() + "]";
	}

}
