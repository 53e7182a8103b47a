package io.tether.pki;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A 256-bit key-encryption key (KEK) that seals private keys at rest with AES-256-GCM. A
 * sealed key is {@code version (1 byte) || nonce (12 bytes) || ciphertext+tag} over the
 * key's PKCS#8 encoding; the caller's associated data (for example the authority's
 * identifier) is bound into the tag, so a sealed key moved to another record does not
 * open.
 * <p>
 * Immutable and thread-safe. {@link #toString()} never shows the key.
 */
public final class KeyEncryptionKey {

	/** Length of the KEK in bytes. */
	public static final int LENGTH = 32;

	private static final byte VERSION = 1;

	private static final int NONCE_LENGTH = 12;

	private static final int TAG_BITS = 128;

	private final SecretKey key;

	private final SecureRandom random;

	private KeyEncryptionKey(byte[] key, SecureRandom random) {
		this.key = new SecretKeySpec(key, "AES");
		this.random = random;
	}

	/**
	 * Generates a fresh KEK.
	 * @param random a cryptographically strong random source
	 * @return the new KEK
	 */
	public static KeyEncryptionKey generate(SecureRandom random) {
		byte[] bytes = new byte[LENGTH];
		random.nextBytes(bytes);
		return new KeyEncryptionKey(bytes, random);
	}

	/**
	 * Reads a KEK from its base64 text (standard or URL alphabet, padding optional),
	 * surrounding white space ignored; this is the form of {@code TETHER_KEK} and of the
	 * generated KEK file.
	 * @param text the base64 of exactly 32 bytes
	 * @return the KEK
	 * @throws PkiException if the text is not base64 of 32 bytes
	 */
	public static KeyEncryptionKey fromBase64(String text) {
		if (text == null) {
			throw new PkiException("'text' must not be null");
		}
		// white space (a trailing newline in a file) is fine; any other stray character
		// is not
		String compact = text.replaceAll("\\s", "").replace('-', '+').replace('_', '/');
		byte[] bytes;
		try {
			bytes = Base64.getDecoder().decode(compact);
		}
		catch (IllegalArgumentException ex) {
			throw new PkiException("KEK is not base64: " + ex.getMessage());
		}
		if (bytes.length != LENGTH) {
			throw new PkiException("KEK must be base64 of " + LENGTH
					+ " random bytes (e.g. 'openssl rand -base64 32'), got " + bytes.length + " bytes");
		}
		return new KeyEncryptionKey(bytes, new SecureRandom());
	}

	/**
	 * The KEK as standard base64 text, for writing to the KEK file.
	 * @return 44 characters of base64
	 */
	public String toBase64() {
		return Base64.getEncoder().encodeToString(this.key.getEncoded());
	}

	/**
	 * Seals a private key.
	 * @param privateKey the key to protect
	 * @param associatedData data bound to the ciphertext, needed again to open it
	 * @return the sealed bytes
	 */
	public byte[] seal(PrivateKey privateKey, byte[] associatedData) {
		byte[] plain = privateKey.getEncoded();
		try {
			byte[] nonce = new byte[NONCE_LENGTH];
			this.random.nextBytes(nonce);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(associatedData);
			byte[] sealed = cipher.doFinal(plain);
			return ByteBuffer.allocate(1 + NONCE_LENGTH + sealed.length).put(VERSION).put(nonce).put(sealed).array();
		}
		catch (GeneralSecurityException ex) {
			throw new PkiException("Private key cannot be sealed: " + ex.getMessage(), ex);
		}
		finally {
			Arrays.fill(plain, (byte) 0);
		}
	}

	/**
	 * Opens a sealed private key.
	 * @param sealed the bytes from {@link #seal(PrivateKey, byte[])}
	 * @param associatedData the same associated data given to {@code seal}
	 * @return the private key
	 * @throws PkiException if this is not the KEK that sealed it, the associated data
	 * differs, or the bytes were altered
	 */
	public PrivateKey open(byte[] sealed, byte[] associatedData) {
		if (sealed == null || sealed.length < 1 + NONCE_LENGTH + TAG_BITS / 8 || sealed[0] != VERSION) {
			throw new PkiException("Sealed key is truncated or of an unknown format");
		}
		byte[] plain = null;
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_LENGTH));
			cipher.updateAAD(associatedData);
			plain = cipher.doFinal(sealed, 1 + NONCE_LENGTH, sealed.length - 1 - NONCE_LENGTH);
			return new JcaPEMKeyConverter().getPrivateKey(PrivateKeyInfo.getInstance(plain));
		}
		catch (javax.crypto.AEADBadTagException ex) {
			throw new PkiException(
					"Sealed key does not open with this KEK: the KEK differs from the one it was sealed with, or the data was altered",
					ex);
		}
		catch (GeneralSecurityException | java.io.IOException ex) {
			throw new PkiException("Sealed key cannot be opened: " + ex.getMessage(), ex);
		}
		finally {
			if (plain != null) {
				Arrays.fill(plain, (byte) 0);
			}
		}
	}

	/**
	 * Derives a key for another purpose from this KEK, so that one secret the operator
	 * already guards also authenticates other data without ever being used for two
	 * things: HKDF-Expand (RFC 5869) with HMAC-SHA-256, this KEK as the pseudorandom key
	 * (it is 32 uniformly random bytes, so the extract step is not needed) and the label
	 * as the info. Distinct labels give independent keys; the same label always gives the
	 * same key.
	 * @param label what the key is for, such as {@code "tether audit checkpoint v1"};
	 * never reuse a label for another purpose
	 * @return a 256-bit {@code HmacSHA256} key
	 * @throws PkiException if the label is null or empty
	 */
	public SecretKey derive(String label) {
		if (label == null || label.isEmpty()) {
			throw new PkiException("'label' must not be empty");
		}
		try {
			Mac hmac = Mac.getInstance("HmacSHA256");
			hmac.init(new SecretKeySpec(this.key.getEncoded(), "HmacSHA256"));
			hmac.update(label.getBytes(StandardCharsets.UTF_8));
			hmac.update((byte) 1);
			return new SecretKeySpec(hmac.doFinal(), "HmacSHA256");
		}
		catch (GeneralSecurityException ex) {
			throw new PkiException("Cannot derive a key: " + ex.getMessage(), ex);
		}
	}

	@Override
	public String toString() {
		return "KeyEncryptionKey[AES-256]";
	}

}
