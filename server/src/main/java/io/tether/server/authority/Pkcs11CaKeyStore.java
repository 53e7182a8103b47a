package io.tether.server.authority;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Locale;

import io.tether.pki.KeyType;
import io.tether.server.TetherProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CA keys generated in a PKCS#11 token through the JDK's SunPKCS11 provider, and never
 * out of it: the token makes each key as a private, sensitive, non-extractable token
 * object, and signs with it. The key is stored under the label
 * {@code tether-<kind>-<authority id>} next to its certificate (a PKCS#11 key store entry
 * is a key with its certificate); the database keeps only that label.
 * <p>
 * The provider is not added to the JVM's provider list: signing names it, as it names
 * BouncyCastle for software keys. Thread-safe (SunPKCS11's key store is synchronized and
 * its signatures take a session each from the token's pool).
 */
final class Pkcs11CaKeyStore implements CaKeyStore {

	private static final Logger logger = LoggerFactory.getLogger(Pkcs11CaKeyStore.class);

	private final Provider provider;

	private final KeyStore keyStore;

	private final String where;

	private Pkcs11CaKeyStore(Provider provider, KeyStore keyStore, String where) {
		this.provider = provider;
		this.keyStore = keyStore;
		this.where = where;
	}

	/**
	 * Opens the token named by {@code tether.ca.pkcs11.*} and logs in.
	 * @throws IllegalStateException naming the setting to fix when a setting is missing,
	 * the module cannot be loaded, or the PIN is refused
	 */
	static Pkcs11CaKeyStore open(TetherProperties.Pkcs11 settings) {
		Path library = settings.library();
		if (library == null) {
			throw new IllegalStateException("tether.ca.key-store is pkcs11, so tether.ca.pkcs11.library "
					+ "(TETHER_CA_PKCS11_LIBRARY) must name the token's PKCS#11 module, such as "
					+ "/usr/lib/softhsm/libsofthsm2.so");
		}
		if (!Files.isReadable(library)) {
			throw new IllegalStateException("tether.ca.pkcs11.library " + library.toAbsolutePath()
					+ " does not exist or cannot be read: install the token's PKCS#11 module or correct the path");
		}
		char[] pin = pin(settings);
		String slot = (settings.slot() != null) ? "slot = " + settings.slot()
				: "slotListIndex = " + ((settings.slotListIndex() != null) ? settings.slotListIndex() : 0);
		String where = library + " " + slot.replace(" = ", " ");
		Provider base = Security.getProvider("SunPKCS11");
		if (base == null) {
			throw new IllegalStateException("This JVM has no SunPKCS11 provider (module jdk.crypto.cryptoki): "
					+ "run Tether on a full JDK or JRE to use tether.ca.key-store=pkcs11");
		}
		Provider provider;
		try {
			provider = base.configure(config(library, slot));
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Cannot open the PKCS#11 token at " + where + ": " + message(ex)
					+ ". Check tether.ca.pkcs11.library and tether.ca.pkcs11.slot (softhsm2-util --show-slots, "
					+ "pkcs11-tool -L)", ex);
		}
		try {
			KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
			keyStore.load(null, pin);
			logger.info("CA keys are kept in the PKCS#11 token at {} ({} entries)", where, keyStore.size());
			return new Pkcs11CaKeyStore(provider, keyStore, where);
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot log in to the PKCS#11 token at " + where + ": " + message(ex)
					+ ". Check the user PIN (TETHER_CA_PKCS11_PIN or tether.ca.pkcs11.pin-file)", ex);
		}
		finally {
			Arrays.fill(pin, '\0');
		}
	}

	/**
	 * The SunPKCS11 configuration: every private key generated is a token object (it
	 * outlives the session), private (only a logged-in user sees it), sensitive and not
	 * extractable (its value never leaves the token, not even wrapped); public keys stay
	 * session objects, since the certificate carries them.
	 */
	static String config(Path library, String slot) {
		return """
				--name = Tether
				library = "%s"
				%s
				attributes(generate, CKO_PRIVATE_KEY, *) = {
				  CKA_TOKEN = true
				  CKA_PRIVATE = true
				  CKA_SENSITIVE = true
				  CKA_EXTRACTABLE = false
				  CKA_SIGN = true
				}
				attributes(generate, CKO_PUBLIC_KEY, *) = {
				  CKA_TOKEN = false
				}
				""".formatted(library.toAbsolutePath(), slot);
	}

	private static char[] pin(TetherProperties.Pkcs11 settings) {
		if (settings.pin() != null && !settings.pin().isEmpty()) {
			return settings.pin().toCharArray();
		}
		if (settings.pinFile() != null) {
			try {
				return Files.readString(settings.pinFile(), StandardCharsets.UTF_8).strip().toCharArray();
			}
			catch (IOException ex) {
				throw new IllegalStateException("Cannot read tether.ca.pkcs11.pin-file "
						+ settings.pinFile().toAbsolutePath() + ": " + ex.getMessage(), ex);
			}
		}
		throw new IllegalStateException("tether.ca.key-store is pkcs11, so the token's user PIN is needed: set "
				+ "TETHER_CA_PKCS11_PIN (tether.ca.pkcs11.pin) or tether.ca.pkcs11.pin-file");
	}

	private static String message(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return (cause == ex) ? String.valueOf(ex.getMessage()) : ex.getMessage() + " (" + cause + ")";
	}

	@Override
	public String id() {
		return TetherProperties.Ca.PKCS11;
	}

	@Override
	public KeyPair generate(KeyType type) {
		String curve = switch (type) {
			case EC_P256 -> "secp256r1";
			case EC_P384 -> "secp384r1";
			default -> throw new IllegalArgumentException(
					"CA keys in a PKCS#11 token are EC P-256 or P-384, not " + type.id());
		};
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", this.provider);
			generator.initialize(new ECGenParameterSpec(curve));
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(
					"The PKCS#11 token at " + this.where + " cannot generate an EC key: " + message(ex), ex);
		}
	}

	@Override
	public Provider provider() {
		return this.provider;
	}

	@Override
	public String keep(String authorityId, AuthorityEntity.Kind kind, X509Certificate certificate, PrivateKey key) {
		String label = "tether-" + kind.name().toLowerCase(Locale.ROOT) + "-" + authorityId;
		try {
			// the key is already a token object: this labels it and stores the
			// certificate
			// beside it, without the key's value ever leaving the token
			this.keyStore.setKeyEntry(label, key, null, new Certificate[] { certificate });
			return label;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot store the key of CA " + authorityId + " in the PKCS#11 token at "
					+ this.where + ": " + message(ex), ex);
		}
	}

	@Override
	public PrivateKey open(String authorityId, String reference, X509Certificate certificate) {
		try {
			Certificate stored = this.keyStore.getCertificate(reference);
			if (!(this.keyStore.getKey(reference, null) instanceof PrivateKey key) || stored == null) {
				throw new IllegalStateException("The key of CA " + authorityId + " (label " + reference
						+ ") is not in the PKCS#11 token at " + this.where + ": start with the token the CA was "
						+ "created in (check tether.ca.pkcs11.slot), or restore it from its backup");
			}
			if (!Arrays.equals(stored.getPublicKey().getEncoded(), certificate.getPublicKey().getEncoded())) {
				throw new IllegalStateException("The key labelled " + reference + " in the PKCS#11 token at "
						+ this.where + " is not the key of CA " + authorityId + ": this token belongs to another "
						+ "Tether database");
			}
			return key;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot read the key of CA " + authorityId + " from the PKCS#11 token at "
					+ this.where + ": " + message(ex), ex);
		}
	}

}
