package io.tether.server.authority;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.tether.pki.CaCredential;
import io.tether.pki.CertificateProfile;
import io.tether.pki.CertificateSigner;
import io.tether.pki.CryptoProviders;
import io.tether.pki.KeyEncryptionKey;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link CaKeys}: each authority's key opens from the store its row names.
 */
class CaKeysTest {

	private final SecureRandom random = new SecureRandom();

	private final CaKeyStore sealed = new KekCaKeyStore(KeyEncryptionKey.generate(this.random), this.random);

	@Test
	void aNewKeyIsKeptInTheCurrentStoreAndOpensFromItsRow() throws Exception {
		CaKeys keys = new CaKeys(this.sealed, List.of(this.sealed));
		KeyPair pair = keys.generate(KeyType.EC_P256);
		X509Certificate root = selfSigned(pair);
		AuthorityEntity entity = entity("a1", root, keys.current().id(),
				keys.keep("a1", AuthorityEntity.Kind.ROOT, root, pair.getPrivate()));
		assertThat(entity.getKeyStore()).isEqualTo("kek");

		CaCredential credential = keys.credential(entity);
		assertThat(credential.certificate()).isEqualTo(root);
		assertThat(credential.provider()).isSameAs(CryptoProviders.bouncyCastle());
		X509Certificate again = new CertificateSigner(Clock.systemUTC(), this.random).sign(
				new CertificateProfile.Intermediate("Intermediate", "Test", Duration.ofHours(1)),
				KeyType.EC_P256.generate().getPublic(), credential);
		again.verify(root.getPublicKey());
	}

	@Test
	void anAuthorityWhoseKeyIsInAStoreThisServerDoesNotOpenIsRefusedNamingTheSetting() {
		CaKeys keys = new CaKeys(this.sealed, List.of(this.sealed));
		X509Certificate root = selfSigned(KeyType.EC_P256.generate());
		AuthorityEntity inToken = entity("a2", root, "pkcs11", "tether-root-a2");
		assertThatIllegalStateException().isThrownBy(() -> keys.credential(inToken))
			.withMessageContaining("The key of CA a2 (root generation 1) is in key store 'pkcs11'")
			.withMessageContaining("set tether.ca.key-store=pkcs11");
	}

	private X509Certificate selfSigned(KeyPair pair) {
		return new CertificateSigner(Clock.systemUTC(), this.random)
			.selfSign(new CertificateProfile.Root("Root", "Test", Duration.ofDays(1)), pair);
	}

	private static AuthorityEntity entity(String id, X509Certificate certificate, String store, String reference) {
		return new AuthorityEntity(id, AuthorityEntity.Kind.ROOT, 1, null, "CN=Root", "01", "ec-p256",
				Pem.write(certificate), store, reference, certificate.getNotBefore().toInstant(),
				certificate.getNotAfter().toInstant(), Instant.now());
	}

}
