package io.tether.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

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
	void constructorWhenProviderNullIsRejected() {
		CaCredential root = TestCertificates.root("Test Root CA");
		assertThatNullPointerException().isThrownBy(() -> new CaCredential(root.certificate(), root.privateKey(), null))
			.withMessage("'provider' must not be null");
	}

	@Test
	void keyOfAnotherProviderIsKeptAsItIsAndSignsThroughThatProvider() throws Exception {
		CaCredential root = TestCertificates.root("Test Root CA");
		KeyPair keys = KeyType.EC_P256.generate();
		CertificateSigner signer = new CertificateSigner(Clock.systemUTC(), new SecureRandom());
		X509Certificate intermediate = signer.sign(
				new CertificateProfile.Intermediate("Token Intermediate", "Test", Duration.ofDays(1)), keys.getPublic(),
				root);
		CountingProvider token = new CountingProvider();
		CaCredential inToken = new CaCredential(intermediate, keys.getPrivate(), token);
		assertThat(inToken.privateKey()).isSameAs(keys.getPrivate());

		X509Certificate leaf = signer.sign(
				new CertificateProfile.Leaf(SpiffeId.parse("spiffe://example.org/web"), List.of(), Duration.ofHours(1)),
				TestKeys.of(KeyType.EC_P256).getPublic(), inToken);
		leaf.verify(intermediate.getPublicKey());
		Crls.sign(inToken, BigInteger.ONE, Instant.now(), Instant.now().plusSeconds(60), List.of());
		assertThat(token.signatures).as("the leaf and the CRL were signed by the key's provider").hasValue(2);
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

	/**
	 * A provider that signs SHA256withECDSA through the JDK's and counts the signatures,
	 * standing in for a token's provider.
	 */
	static final class CountingProvider extends Provider {

		private static final long serialVersionUID = 1L;

		final AtomicInteger signatures = new AtomicInteger();

		CountingProvider() {
			super("CountingToken", "1", "counts signatures");
			putService(
					new Service(this, "Signature", "SHA256withECDSA", CountingSignature.class.getName(), null, null) {

						@Override
						public Object newInstance(Object parameter) {
							return new CountingSignature(CountingProvider.this.signatures);
						}

					});
		}

	}

	static final class CountingSignature extends SignatureSpi {

		private final AtomicInteger signatures;

		private final Signature delegate;

		CountingSignature(AtomicInteger signatures) {
			this.signatures = signatures;
			try {
				this.delegate = Signature.getInstance("SHA256withECDSA");
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
			this.delegate.initVerify(publicKey);
		}

		@Override
		protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
			this.delegate.initSign(privateKey);
		}

		@Override
		protected void engineUpdate(byte b) throws SignatureException {
			this.delegate.update(b);
		}

		@Override
		protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
			this.delegate.update(b, off, len);
		}

		@Override
		protected byte[] engineSign() throws SignatureException {
			this.signatures.incrementAndGet();
			return this.delegate.sign();
		}

		@Override
		protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
			return this.delegate.verify(sigBytes);
		}

		@Override
		@Deprecated
		protected void engineSetParameter(String param, Object value) {
			throw new UnsupportedOperationException();
		}

		@Override
		@Deprecated
		protected Object engineGetParameter(String param) {
			throw new UnsupportedOperationException();
		}

	}

}
