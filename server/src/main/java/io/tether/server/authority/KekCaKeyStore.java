package io.tether.server.authority;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;

import io.tether.pki.CryptoProviders;
import io.tether.pki.KeyEncryptionKey;
import io.tether.pki.KeyType;
import io.tether.pki.PkiException;
import io.tether.server.TetherProperties;

/**
 * CA keys generated in memory and kept in the database sealed under the KEK, the
 * authority's id bound into the seal so that a sealed key moved to another row does not
 * open.
 */
final class KekCaKeyStore implements CaKeyStore {

	private final KeyEncryptionKey kek;

	private final SecureRandom random;

	KekCaKeyStore(KeyEncryptionKey kek, SecureRandom random) {
		this.kek = kek;
		this.random = random;
	}

	@Override
	public String id() {
		return TetherProperties.Ca.KEK;
	}

	@Override
	public KeyPair generate(KeyType type) {
		return type.generate(this.random);
	}

	@Override
	public Provider provider() {
		return CryptoProviders.bouncyCastle();
	}

	@Override
	public String keep(String authorityId, AuthorityEntity.Kind kind, X509Certificate certificate, PrivateKey key) {
		return Base64.getEncoder().encodeToString(this.kek.seal(key, associatedData(authorityId)));
	}

	@Override
	public PrivateKey open(String authorityId, String reference, X509Certificate certificate) {
		try {
			return this.kek.open(Base64.getDecoder().decode(reference), associatedData(authorityId));
		}
		catch (PkiException ex) {
			throw new IllegalStateException("Cannot open the private key of CA " + authorityId + ": " + ex.getMessage()
					+ ". Start with the KEK used when the CA was created (TETHER_KEK, "
					+ "tether.kek-file or <data-dir>/kek).", ex);
		}
	}

	private static byte[] associatedData(String authorityId) {
		return ("tether-authority:" + authorityId).getBytes(StandardCharsets.UTF_8);
	}

}
