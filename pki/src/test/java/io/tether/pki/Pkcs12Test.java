package io.tether.pki;

import java.io.ByteArrayInputStream;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link Pkcs12}.
 */
class Pkcs12Test {

	private static final char[] PASSWORD = "changeit".toCharArray();

	@Test
	void writeThenReadKeyStoreReturnsKeyAndChain() {
		CaCredential intermediate = TestCertificates.intermediate(TestCertificates.root("Test Root CA"));
		KeyPair keys = TestKeys.of(KeyType.EC_P256);
		X509Certificate leaf = TestCertificates.leaf(intermediate, keys, "spiffe://example.org/web");
		List<X509Certificate> chain = List.of(leaf, intermediate.certificate());
		Pkcs12.KeyEntry entry = Pkcs12.readKeyStore(Pkcs12.writeKeyStore(keys.getPrivate(), chain, PASSWORD), PASSWORD);
		assertThat(entry.privateKey().getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
		assertThat(entry.chain()).containsExactlyElementsOf(chain);
	}

	@Test
	void writeThenReadKeyStoreReturnsRsaKey() {
		CaCredential root = TestCertificates.root("Test Root CA");
		KeyPair keys = TestKeys.of(KeyType.RSA_2048);
		X509Certificate leaf = TestCertificates.leaf(root, keys, "spiffe://example.org/web");
		Pkcs12.KeyEntry entry = Pkcs12.readKeyStore(Pkcs12.writeKeyStore(keys.getPrivate(), List.of(leaf), PASSWORD),
				PASSWORD);
		assertThat(entry.privateKey().getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
		assertThat(entry.chain()).containsExactly(leaf);
	}

	@Test
	void writeKeyStoreHoldsKeyUnderTetherAliasForKeytool() throws Exception {
		CaCredential root = TestCertificates.root("Test Root CA");
		KeyPair keys = TestKeys.of(KeyType.EC_P256);
		X509Certificate leaf = TestCertificates.leaf(root, keys, "spiffe://example.org/web");
		KeyStore store = KeyStore.getInstance("PKCS12");
		store.load(new ByteArrayInputStream(Pkcs12.writeKeyStore(keys.getPrivate(), List.of(leaf), PASSWORD)),
				PASSWORD);
		assertThat(store.isKeyEntry(Pkcs12.KEY_ALIAS)).isTrue();
		assertThat(store.getCertificate(Pkcs12.KEY_ALIAS)).isEqualTo(leaf);
	}

	@Test
	void keyStoreHoldsKeyAndChainForKeyManagers() throws Exception {
		CaCredential intermediate = TestCertificates.intermediate(TestCertificates.root("Test Root CA"));
		KeyPair keys = TestKeys.of(KeyType.EC_P256);
		X509Certificate leaf = TestCertificates.leaf(intermediate, keys, "spiffe://example.org/web");
		KeyStore store = Pkcs12.keyStore(keys.getPrivate(), List.of(leaf, intermediate.certificate()), PASSWORD);
		assertThat(store.getKey(Pkcs12.KEY_ALIAS, PASSWORD).getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
		assertThat(store.getCertificateChain(Pkcs12.KEY_ALIAS)).containsExactly(leaf, intermediate.certificate());
		KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		factory.init(store, PASSWORD);
		X509KeyManager keyManager = (X509KeyManager) factory.getKeyManagers()[0];
		assertThat(keyManager.getClientAliases("EC", null)).hasSize(1);
	}

	@Test
	void trustStoreHoldsCertificatesAsTrustedEntries() throws Exception {
		List<X509Certificate> certificates = List.of(TestCertificates.root("First Root CA").certificate(),
				TestCertificates.root("Second Root CA").certificate());
		KeyStore store = Pkcs12.trustStore(certificates);
		assertThat(store.isCertificateEntry("ca-0")).isTrue();
		assertThat(store.getCertificate("ca-0")).isEqualTo(certificates.get(0));
		assertThat(store.getCertificate("ca-1")).isEqualTo(certificates.get(1));
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(store);
		X509TrustManager trustManager = (X509TrustManager) factory.getTrustManagers()[0];
		assertThat(trustManager.getAcceptedIssuers()).containsExactlyInAnyOrderElementsOf(certificates);
	}

	@Test
	void writeThenReadTrustStoreReturnsCertificatesInOrder() {
		List<X509Certificate> certificates = List.of(TestCertificates.root("First Root CA").certificate(),
				TestCertificates.root("Second Root CA").certificate(),
				TestCertificates.root("Third Root CA").certificate());
		assertThat(Pkcs12.readTrustStore(Pkcs12.writeTrustStore(certificates, PASSWORD), PASSWORD))
			.containsExactlyElementsOf(certificates);
	}

	@Test
	void writeThenReadTrustStoreOfMoreThanTenCertificatesKeepsOrder() {
		List<X509Certificate> certificates = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			certificates.add(TestCertificates.root("Root CA " + i).certificate());
		}
		assertThat(Pkcs12.readTrustStore(Pkcs12.writeTrustStore(certificates, PASSWORD), PASSWORD))
			.containsExactlyElementsOf(certificates);
	}

	@Test
	void readTrustStoreOfEmptyStoreReturnsEmpty() {
		assertThat(Pkcs12.readTrustStore(Pkcs12.writeTrustStore(List.of(), PASSWORD), PASSWORD)).isEmpty();
	}

	@Test
	void readKeyStoreWhenPasswordWrongFails() {
		CaCredential root = TestCertificates.root("Test Root CA");
		byte[] store = Pkcs12.writeKeyStore(root.privateKey(), List.of(root.certificate()), PASSWORD);
		assertThatExceptionOfType(PkiException.class)
			.isThrownBy(() -> Pkcs12.readKeyStore(store, "wrong".toCharArray()))
			.withMessageContaining("password is wrong");
	}

	@Test
	void readTrustStoreWhenPasswordWrongFails() {
		byte[] store = Pkcs12.writeTrustStore(List.of(TestCertificates.root("Test Root CA").certificate()), PASSWORD);
		assertThatExceptionOfType(PkiException.class)
			.isThrownBy(() -> Pkcs12.readTrustStore(store, "wrong".toCharArray()))
			.withMessageContaining("password is wrong");
	}

	@Test
	void readKeyStoreWhenNotPkcs12Fails() {
		assertThatExceptionOfType(PkiException.class)
			.isThrownBy(() -> Pkcs12.readKeyStore("not a keystore".getBytes(), PASSWORD))
			.withMessageContaining("Not a PKCS#12 store");
	}

	@Test
	void readKeyStoreWhenStoreHasNoKeyFails() {
		byte[] trustStore = Pkcs12.writeTrustStore(List.of(TestCertificates.root("Test Root CA").certificate()),
				PASSWORD);
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> Pkcs12.readKeyStore(trustStore, PASSWORD))
			.withMessageContaining("no private key entry");
	}

	@Test
	void readTrustStoreOfKeyStoreReturnsNoTrustedCertificates() {
		CaCredential root = TestCertificates.root("Test Root CA");
		byte[] keyStore = Pkcs12.writeKeyStore(root.privateKey(), List.of(root.certificate()), PASSWORD);
		assertThat(Pkcs12.readTrustStore(keyStore, PASSWORD)).isEmpty();
	}

	@Test
	void keyEntryToStringDoesNotShowKey() {
		CaCredential root = TestCertificates.root("Test Root CA");
		Pkcs12.KeyEntry entry = new Pkcs12.KeyEntry(root.privateKey(), List.of(root.certificate()));
		assertThat(entry).hasToString("KeyEntry[1 certificates]");
	}

	@Test
	void keyEntryCopiesChain() {
		CaCredential root = TestCertificates.root("Test Root CA");
		List<X509Certificate> chain = new ArrayList<>(List.of(root.certificate()));
		Pkcs12.KeyEntry entry = new Pkcs12.KeyEntry(root.privateKey(), chain);
		chain.clear();
		assertThat(entry.chain()).containsExactly(root.certificate());
	}

}
