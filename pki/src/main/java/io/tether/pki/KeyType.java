package io.tether.pki;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The key types Tether generates and accepts: EC P-256 (the default), EC P-384, Ed25519
 * and RSA with 2048, 3072 or 4096 bit moduli. Anything else (RSA-1024, P-521, secp256k1)
 * is refused with an {@link UnsupportedKeyException}.
 * <p>
 * Keys are generated with the JVM's default providers so that JSSE and keystores treat
 * them as their own; signing goes through {@link CryptoProviders#bouncyCastle()}.
 */
public enum KeyType {

	/** ECDSA on NIST P-256 (secp256r1), signed with SHA-256. The default. */
	EC_P256("ec-p256", "EC", "SHA256withECDSA"),

	/** ECDSA on NIST P-384 (secp384r1), signed with SHA-384. */
	EC_P384("ec-p384", "EC", "SHA384withECDSA"),

	/** EdDSA on Curve25519. */
	ED25519("ed25519", "Ed25519", "Ed25519"),

	/** RSA with a 2048 bit modulus, signed with SHA-256 (PKCS#1 v1.5). */
	RSA_2048("rsa-2048", "RSA", "SHA256withRSA"),

	/** RSA with a 3072 bit modulus, signed with SHA-256 (PKCS#1 v1.5). */
	RSA_3072("rsa-3072", "RSA", "SHA256withRSA"),

	/** RSA with a 4096 bit modulus, signed with SHA-256 (PKCS#1 v1.5). */
	RSA_4096("rsa-4096", "RSA", "SHA256withRSA");

	private final String id;

	private final String algorithm;

	private final String signatureAlgorithm;

	KeyType(String id, String algorithm, String signatureAlgorithm) {
		this.id = id;
		this.algorithm = algorithm;
		this.signatureAlgorithm = signatureAlgorithm;
	}

	/**
	 * The name used in configuration, APIs and the CLI, such as {@code ec-p256}.
	 * @return the stable lower-case identifier
	 */
	public String id() {
		return this.id;
	}

	/**
	 * The JCA signature algorithm a key of this type signs with.
	 * @return for example {@code SHA256withECDSA}
	 */
	public String signatureAlgorithm() {
		return this.signatureAlgorithm;
	}

	/**
	 * Whether keys of this type are RSA keys (which also get the keyEncipherment usage).
	 * @return {@code true} for the RSA types
	 */
	public boolean isRsa() {
		return "RSA".equals(this.algorithm);
	}

	/**
	 * Generates a fresh key pair of this type with a strong random source.
	 * @return a new key pair; the private key never leaves the caller
	 * @throws PkiException if the JVM lacks the algorithm
	 */
	public KeyPair generate() {
		return generate(new SecureRandom());
	}

	/**
	 * Generates a fresh key pair of this type.
	 * @param random the random source
	 * @return a new key pair
	 * @throws PkiException if the JVM lacks the algorithm
	 */
	public KeyPair generate(SecureRandom random) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance(this.algorithm);
			switch (this) {
				case EC_P256 -> generator.initialize(new ECGenParameterSpec("secp256r1"), random);
				case EC_P384 -> generator.initialize(new ECGenParameterSpec("secp384r1"), random);
				case RSA_2048 ->
					generator.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), random);
				case RSA_3072 ->
					generator.initialize(new RSAKeyGenParameterSpec(3072, RSAKeyGenParameterSpec.F4), random);
				case RSA_4096 ->
					generator.initialize(new RSAKeyGenParameterSpec(4096, RSAKeyGenParameterSpec.F4), random);
				case ED25519 -> {
					// Ed25519 takes no parameters
				}
			}
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new PkiException("Cannot generate a " + this.id + " key: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Parses a key type identifier such as {@code ec-p256} or {@code RSA_2048}.
	 * @param name the identifier, case-insensitive, {@code -} and {@code _} alike
	 * @return the key type
	 * @throws UnsupportedKeyException if the name is unknown; the message lists the known
	 * names
	 */
	public static KeyType parse(String name) {
		if (name == null) {
			throw new UnsupportedKeyException("'keyType' must not be null");
		}
		String normalized = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
		for (KeyType type : values()) {
			if (type.id.equals(normalized)) {
				return type;
			}
		}
		throw new UnsupportedKeyException("Unknown key type '" + name + "'; supported: " + supportedIds());
	}

	/**
	 * Whether a private key belongs to a public key: a signature made with the one
	 * verifies with the other.
	 * @param privateKey the private key
	 * @param publicKey the public key, of a supported type
	 * @return whether they form a pair; {@code false} also for keys of different types
	 */
	public static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
		try {
			String algorithm = of(publicKey).signatureAlgorithm();
			byte[] probe = "tether-key-match".getBytes(StandardCharsets.US_ASCII);
			Signature signer = Signature.getInstance(algorithm);
			signer.initSign(privateKey);
			signer.update(probe);
			byte[] signature = signer.sign();
			Signature verifier = Signature.getInstance(algorithm);
			verifier.initVerify(publicKey);
			verifier.update(probe);
			return verifier.verify(signature);
		}
		catch (GeneralSecurityException | UnsupportedKeyException ex) {
			return false;
		}
	}

	/**
	 * Determines the type of a public key.
	 * @param key the public key
	 * @return its type
	 * @throws UnsupportedKeyException if the key is of no supported type
	 */
	public static KeyType of(PublicKey key) {
		if (key == null) {
			throw new UnsupportedKeyException("'key' must not be null");
		}
		return of(SubjectPublicKeyInfo.getInstance(key.getEncoded()));
	}

	/**
	 * Determines the type of an encoded public key, as found in a CSR or certificate.
	 * @param info the subject public key info
	 * @return its type
	 * @throws UnsupportedKeyException if the key is of no supported type
	 */
	public static KeyType of(SubjectPublicKeyInfo info) {
		ASN1ObjectIdentifier algorithm = info.getAlgorithm().getAlgorithm();
		if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
			Object parameters = info.getAlgorithm().getParameters();
			if (SECObjectIdentifiers.secp256r1.equals(parameters)) {
				return EC_P256;
			}
			if (SECObjectIdentifiers.secp384r1.equals(parameters)) {
				return EC_P384;
			}
			throw new UnsupportedKeyException("EC key on curve " + parameters
					+ " is not supported; use P-256 or P-384 (supported: " + supportedIds() + ")");
		}
		if (EdECObjectIdentifiers.id_Ed25519.equals(algorithm)) {
			return ED25519;
		}
		if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
			int bits = rsaModulusBits(info);
			return switch (bits) {
				case 2048 -> RSA_2048;
				case 3072 -> RSA_3072;
				case 4096 -> RSA_4096;
				default -> throw new UnsupportedKeyException("RSA key of " + bits
						+ " bits is not supported; use 2048, 3072 or 4096 bits (supported: " + supportedIds() + ")");
			};
		}
		throw new UnsupportedKeyException(
				"Key algorithm " + algorithm + " is not supported (supported: " + supportedIds() + ")");
	}

	private static int rsaModulusBits(SubjectPublicKeyInfo info) {
		try {
			return RSAPublicKey.getInstance(info.parsePublicKey()).getModulus().bitLength();
		}
		catch (Exception ex) {
			throw new UnsupportedKeyException("RSA public key cannot be decoded: " + ex.getMessage());
		}
	}

	static String supportedIds() {
		return Arrays.stream(values()).map(KeyType::id).collect(Collectors.joining(", "));
	}

}
