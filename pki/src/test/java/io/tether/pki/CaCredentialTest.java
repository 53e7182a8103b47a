package io.tether.pki;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Tests for {@link CaCredential}.
 */
class CaCredentialTest {

	@Test
	void constructorWhenCertificateIsNotCaIsRejected() {
		CaCredential root = TestCertificates.root("Test Root CA");
		KeyPair keys = TestKeys.of(KeyType.EC_P256);
		X509Certificate leaf = TestCertificates.leaf(root, keys, "spiffe://example.org/web");
		assertThatIllegalArgumentException().isThrownBy(() -> new CaCredential(leaf, keys.getPrivate()))
			.withMessageContaining("must be a CA certificate");
	}

	@Test
	void constructorWhenArgumentNullIsRejected() {
		CaCredential root = TestCertificates.root("Test Root CA");
		assertThatNullPointerException().isThrownBy(() -> new CaCredential(null, root.privateKey()))
			.withMessage("'certificate' must not be null");
		assertThatNullPointerException().isThrownBy(() -> new CaCredential(root.certificate(), null))
			.withMessage("'privateKey' must not be null");
	}

	@Test
	void toStringNamesSubjectButNotKey() {
		CaCredential root = TestCertificates.root("Test Root CA");
		String privateValue = ((ECPrivateKey) root.privateKey()).getS().toString(16);
		assertThat(root.toString()).contains("CN=Test Root CA")
			.doesNotContain(privateValue)
			.doesNotContain(privateValue.toUpperCase())
			.doesNotContain(root.privateKey().toString());
	}

}
