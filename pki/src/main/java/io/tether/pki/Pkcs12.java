package io.tether.pki;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Reads and writes PKCS#12 keystores (a private key with its chain) and truststores
 * (trusted certificates only) with the JDK's PKCS12 implementation, which protects them
 * with PBES2 / AES-256 and an HMAC-SHA256 integrity check, readable by {@code keytool}
 * and OpenSSL 3.
 * <p>
 * Stateless and thread-safe.
 */
public final class Pkcs12 {

	/** The alias under which a keystore holds its key entry. */
	public static final String KEY_ALIAS = "tether";

	private Pkcs12() {
	}

	/**
	 * The key entry of a keystore.
	 *
	 * @param privateKey the private key
	 * @param chain the certificate chain, leaf first
	 */
	public record KeyEntry(PrivateKey privateKey, List<X509Certificate> chain) {

		/**
		 * Copies the chain.
		 * @param privateKey the private key
		 * @param chain the chain, leaf first
		 */
		public KeyEntry {
			chain = List.copyOf(chain);
		}

		@Override
		public String toString() {
			return "KeyEntry[" + this.chain.size() + " certificates]";
		}

	}

	/**
	 * Builds an in-memory PKCS#12 keystore holding one private key and its chain under
	 * {@link #KEY_ALIAS}, for an {@code SSLContext} or a server's SSL bundle.
	 * @param privateKey the private key
	 * @param chain the chain, leaf first
	 * @param password protects the key entry
	 * @return the keystore
	 */
	public static KeyStore keyStore(PrivateKey privateKey, List<X509Certificate> chain, char[] password) {
		try {
			KeyStore store = emptyStore();
			store.setKeyEntry(KEY_ALIAS, privateKey, password, chain.toArray(Certificate[]::new));
			return store;
		}
		catch (GeneralSecurityException ex) {
			throw new PkiException("PKCS#12 keystore cannot be built: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Builds an in-memory PKCS#12 truststore holding certificates as trusted entries,
	 * aliased {@code ca-0}, {@code ca-1}...
	 * @param certificates the trusted certificates
	 * @return the truststore
	 */
	public static KeyStore trustStore(List<X509Certificate> certificates) {
		try {
			KeyStore store = emptyStore();
			for (int i = 0; i < certificates.size(); i++) {
				store.setCertificateEntry("ca-" + i, certificates.get(i));
			}
			return store;
		}
		catch (GeneralSecurityException ex) {
			throw new PkiException("PKCS#12 truststore cannot be built: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Writes a keystore holding one private key and its chain under {@link #KEY_ALIAS}.
	 * @param privateKey the private key
	 * @param chain the chain, leaf first
	 * @param password protects both the store and the key
	 * @return the PKCS#12 bytes
	 */
	public static byte[] writeKeyStore(PrivateKey privateKey, List<X509Certificate> chain, char[] password) {
		return toBytes(keyStore(privateKey, chain, password), password);
	}

	/**
	 * Writes a truststore holding certificates as trusted entries, aliased {@code ca-0},
	 * {@code ca-1}...
	 * @param certificates the trusted certificates
	 * @param password protects the store's integrity
	 * @return the PKCS#12 bytes
	 */
	public static byte[] writeTrustStore(List<X509Certificate> certificates, char[] password) {
		return toBytes(trustStore(certificates), password);
	}

	/**
	 * Reads the (first) key entry of a keystore.
	 * @param bytes the PKCS#12 bytes
	 * @param password the store and key password
	 * @return the key and its chain
	 * @throws PkiException if the password is wrong, the bytes are not PKCS#12, or there
	 * is no key entry
	 */
	public static KeyEntry readKeyStore(byte[] bytes, char[] password) {
		KeyStore store = load(bytes, password);
		try {
			for (String alias : Collections.list(store.aliases())) {
				if (store.isKeyEntry(alias)) {
					Key key = store.getKey(alias, password);
					List<X509Certificate> chain = new ArrayList<>();
					for (Certificate certificate : store.getCertificateChain(alias)) {
						chain.add((X509Certificate) certificate);
					}
					return new KeyEntry((PrivateKey) key, chain);
				}
			}
		}
		catch (GeneralSecurityException ex) {
			throw new PkiException("PKCS#12 key entry cannot be read: " + ex.getMessage(), ex);
		}
		throw new PkiException("PKCS#12 store has no private key entry");
	}

	/**
	 * Reads the trusted certificates of a truststore.
	 * @param bytes the PKCS#12 bytes
	 * @param password the store password
	 * @return the trusted certificates in the order {@link #writeTrustStore} wrote them
	 * @throws PkiException if the password is wrong or the bytes are not PKCS#12
	 */
	public static List<X509Certificate> readTrustStore(byte[] bytes, char[] password) {
		KeyStore store = load(bytes, password);
		try {
			List<String> aliases = new ArrayList<>(Collections.list(store.aliases()));
			// ca-2 before ca-10: order by the number writeTrustStore gave, then by name
			aliases.sort(Comparator.comparingLong(Pkcs12::aliasNumber).thenComparing(Comparator.naturalOrder()));
			List<X509Certificate> certificates = new ArrayList<>();
			for (String alias : aliases) {
				if (store.isCertificateEntry(alias)) {
					certificates.add((X509Certificate) store.getCertificate(alias));
				}
			}
			return certificates;
		}
		catch (GeneralSecurityException ex) {
			throw new PkiException("PKCS#12 truststore cannot be read: " + ex.getMessage(), ex);
		}
	}

	private static long aliasNumber(String alias) {
		if (alias.startsWith("ca-")) {
			try {
				return Long.parseLong(alias.substring(3));
			}
			catch (NumberFormatException ex) {
				// not one of ours: sorts after them, by name
			}
		}
		return Long.MAX_VALUE;
	}

	private static KeyStore emptyStore() throws GeneralSecurityException {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try {
			store.load(null, null);
		}
		catch (IOException ex) {
			throw new GeneralSecurityException(ex);
		}
		return store;
	}

	private static KeyStore load(byte[] bytes, char[] password) {
		try {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(new ByteArrayInputStream(bytes), password);
			return store;
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new PkiException("Not a PKCS#12 store, or the password is wrong: " + ex.getMessage(), ex);
		}
	}

	private static byte[] toBytes(KeyStore store, char[] password) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			store.store(out, password);
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new PkiException("PKCS#12 store cannot be written: " + ex.getMessage(), ex);
		}
		return out.toByteArray();
	}

}
