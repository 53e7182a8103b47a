package io.tether.pki;

import java.io.StringWriter;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link Pem}.
 */
class PemTest {

	@Test
	void writeThenReadCertificatesKeepsChainOrder() {
		CaCredential root = TestCertificates.root("Test Root CA");
		CaCredential intermediate = TestCertificates.intermediate(root);
		X509Certificate leaf = TestCertificates.leaf(intermediate, TestKeys.of(KeyType.EC_P256),
				"spiffe://example.org/web");
		List<X509Certificate> chain = List.of(leaf, intermediate.certificate(), root.certificate());
		String pem = Pem.write(chain);
		assertThat(pem.split("-----BEGIN CERTIFICATE-----", -1)).hasSize(4);
		assertThat(Pem.readCertificates(pem)).containsExactlyElementsOf(chain);
	}

	@Test
	void writeThenReadCertificateReturnsSameCertificate() {
		X509Certificate certificate = TestCertificates.root("Test Root CA").certificate();
		String pem = Pem.write(certificate);
		assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----").contains("-----END CERTIFICATE-----");
		assertThat(Pem.readCertificate(pem)).isEqualTo(certificate);
	}

	@Test
	void readCertificateReturnsFirstOfSeveral() {
		X509Certificate first = TestCertificates.root("First Root CA").certificate();
		X509Certificate second = TestCertificates.root("Second Root CA").certificate();
		assertThat(Pem.readCertificate(Pem.write(List.of(first, second)))).isEqualTo(first);
	}

	@Test
	void readCertificatesIgnoresOtherBlocks() {
		X509Certificate first = TestCertificates.root("First Root CA").certificate();
		X509Certificate second = TestCertificates.root("Second Root CA").certificate();
		KeyPair keys = TestKeys.of(KeyType.EC_P256);
		String pem = Pem.write(keys.getPrivate()) + Pem.write(first)
				+ Csr.create(keys, SpiffeId.parse("spiffe://example.org/web"), List.of()).toPem() + Pem.write(second);
		assertThat(Pem.readCertificates(pem)).containsExactly(first, second);
	}

	@Test
	void readCertificatesIgnoresTextAroundBlocks() {
		// as 'openssl pkcs12 -nokeys' prints them
		X509Certificate certificate = TestCertificates.root("Test Root CA").certificate();
		String pem = "Bag Attributes\n    friendlyName: tether\nsubject=O = Tether Test, CN = Test Root CA\n"
				+ Pem.write(certificate) + "trailing notes\n";
		assertThat(Pem.readCertificates(pem)).containsExactly(certificate);
	}

	@Test
	void readCertificatesIgnoresBlocksOfUnknownType() {
		X509Certificate certificate = TestCertificates.root("Test Root CA").certificate();
		String pem = Pem.write(certificate)
				+ "-----BEGIN DH PARAMETERS-----\nMAYCAQICAQI=\n-----END DH PARAMETERS-----\n";
		assertThat(Pem.readCertificates(pem)).containsExactly(certificate);
	}

	@Test
	void readCertificatesWhenNoneReturnsEmpty() {
		assertThat(Pem.readCertificates("")).isEmpty();
		assertThat(Pem.readCertificates(Pem.write(TestKeys.of(KeyType.EC_P256).getPrivate()))).isEmpty();
	}

	@Test
	void readCertificateWhenTextHasNoCertificateFails() {
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> Pem.readCertificate("garbage"))
			.withMessageContaining("No PEM 'CERTIFICATE' block found");
	}

	@Test
	void readCertificateWhenBlockIsGarbageFails() {
		String pem = "-----BEGIN CERTIFICATE-----\nZ2FyYmFnZSBnYXJiYWdlIGdhcmJhZ2U=\n-----END CERTIFICATE-----\n";
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> Pem.readCertificate(pem))
			.withMessageContaining("Malformed PEM");
	}

	@Test
	void readCertificateWhenTruncatedFails() {
		String pem = Pem.write(TestCertificates.root("Test Root CA").certificate());
		String truncated = pem.substring(0, pem.length() / 2);
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> Pem.readCertificate(truncated));
	}

	@Test
	void readCertificateWhenNullFails() {
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> Pem.readCertificate(null))
			.withMessage("'pem' must not be null");
	}

	@ParameterizedTest
	@EnumSource(value = KeyType.class, names = { "EC_P256", "EC_P384", "ED25519", "RSA_2048", "RSA_3072" })
	void writeThenReadPrivateKeyReturnsSameKey(KeyType type) {
		PrivateKey key = TestKeys.of(type).getPrivate();
		String pem = Pem.write(key);
		assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----").contains("-----END PRIVATE KEY-----");
		PrivateKey read = Pem.readPrivateKey(pem);
		assertThat(read.getAlgorithm()).isEqualTo(key.getAlgorithm());
		assertThat(read.getEncoded()).isEqualTo(key.getEncoded());
	}

	@Test
	void readPrivateKeyAcceptsPkcs1RsaKey() throws Exception {
		KeyPair keys = TestKeys.of(KeyType.RSA_2048);
		StringWriter out = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
			writer.writeObject(keys.getPrivate());
		}
		String pkcs1 = out.toString();
		assertThat(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----");
		assertSignsForPublicKey(Pem.readPrivateKey(pkcs1), keys, KeyType.RSA_2048);
	}

	@Test
	void readPrivateKeyAcceptsSec1EcKeyWithPublicKey() throws Exception {
		// the form 'openssl ecparam -genkey' writes
		KeyPair keys = TestKeys.of(KeyType.EC_P256);
		SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
		org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256,
				((ECPrivateKey) keys.getPrivate()).getS(), publicKey.getPublicKeyData(),
				publicKey.getAlgorithm().getParameters());
		String pem = pem("EC PRIVATE KEY", sec1.getEncoded());
		assertSignsForPublicKey(Pem.readPrivateKey(pem), keys, KeyType.EC_P256);
	}

	@Test
	void readPrivateKeyAcceptsSec1EcKeyWithoutPublicKey() throws Exception {
		KeyPair keys = TestKeys.of(KeyType.EC_P256);
		SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
		org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256,
				((ECPrivateKey) keys.getPrivate()).getS(), publicKey.getAlgorithm().getParameters());
		String pem = pem("EC PRIVATE KEY", sec1.getEncoded());
		assertSignsForPublicKey(Pem.readPrivateKey(pem), keys, KeyType.EC_P256);
	}

	@Test
	void readPrivateKeyFindsKeyAmongCertificates() {
		PrivateKey key = TestKeys.of(KeyType.EC_P256).getPrivate();
		String pem = Pem.write(TestCertificates.root("Test Root CA").certificate()) + Pem.write(key);
		assertThat(Pem.readPrivateKey(pem).getEncoded()).isEqualTo(key.getEncoded());
	}

	@Test
	void readPrivateKeyWhenTextHasNoKeyFails() {
		String certificate = Pem.write(TestCertificates.root("Test Root CA").certificate());
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> Pem.readPrivateKey(certificate))
			.withMessageContaining("No unencrypted PEM private key found");
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> Pem.readPrivateKey("no key here"))
			.withMessageContaining("No unencrypted PEM private key found");
	}

	@Test
	void readPrivateKeyWhenBlockIsGarbageFails() {
		String pem = "-----BEGIN PRIVATE KEY-----\nZ2FyYmFnZSBnYXJiYWdlIGdhcmJhZ2U=\n-----END PRIVATE KEY-----\n";
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> Pem.readPrivateKey(pem));
	}

	@Test
	void writeCsrThenReadCsrReturnsSameRequest() throws Exception {
		Csr csr = Csr.create(TestKeys.of(KeyType.EC_P256), SpiffeId.parse("spiffe://example.org/web"), List.of());
		assertThat(csr.toPem()).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
		assertThat(Pem.readCsr(csr.toPem()).getEncoded()).isEqualTo(csr.encoded());
	}

	@Test
	void readCsrWhenNoRequestFailsAsInvalidCsr() {
		String certificate = Pem.write(TestCertificates.root("Test Root CA").certificate());
		assertThatExceptionOfType(InvalidCsrException.class).isThrownBy(() -> Pem.readCsr(certificate))
			.withMessageContaining("No PEM 'CERTIFICATE REQUEST' block found");
	}

	private static void assertSignsForPublicKey(PrivateKey key, KeyPair keys, KeyType type) throws Exception {
		Signature signer = Signature.getInstance(type.signatureAlgorithm());
		signer.initSign(key);
		signer.update(new byte[] { 4, 2 });
		byte[] signature = signer.sign();
		Signature verifier = Signature.getInstance(type.signatureAlgorithm());
		verifier.initVerify(keys.getPublic());
		verifier.update(new byte[] { 4, 2 });
		assertThat(verifier.verify(signature)).isTrue();
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

}
