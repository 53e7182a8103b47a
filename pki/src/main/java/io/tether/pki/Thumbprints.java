package io.tether.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * Certificate thumbprints as used by RFC 8705 certificate-bound tokens: {@code x5t#S256}
 * is base64url without padding of the SHA-256 digest of the certificate's DER encoding.
 * <p>
 * Stateless and thread-safe.
 */
public final class Thumbprints {

	private Thumbprints() {
	}

	/**
	 * Computes the {@code x5t#S256} thumbprint of a certificate.
	 * @param certificate the certificate
	 * @return 43 characters of base64url, no padding
	 * @throws PkiException if the certificate cannot be encoded
	 */
	public static String x5tS256(X509Certificate certificate) {
		try {
			return x5tS256(certificate.getEncoded());
		}
		catch (CertificateEncodingException ex) {
			throw new PkiException("Certificate cannot be encoded: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Computes the {@code x5t#S256} thumbprint of a DER-encoded certificate.
	 * @param der the certificate's DER bytes
	 * @return 43 characters of base64url, no padding
	 */
	public static String x5tS256(byte[] der) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(der));
	}

	/**
	 * Computes the SHA-256 fingerprint of a DER-encoded certificate as lower-case hex,
	 * the form {@code openssl x509 -fingerprint -sha256} prints without colons.
	 * @param der the certificate's DER bytes
	 * @return 64 hex characters
	 */
	public static String sha256Hex(byte[] der) {
		return java.util.HexFormat.of().formatHex(sha256(der));
	}

	/**
	 * The SHA-256 fingerprint of a certificate as lower-case hex: what a join token pins
	 * and what {@code openssl x509 -fingerprint -sha256} prints, without colons.
	 * @param certificate the certificate
	 * @return 64 hex characters
	 * @throws PkiException if the certificate cannot be encoded
	 */
	public static String sha256Hex(X509Certificate certificate) {
		try {
			return sha256Hex(certificate.getEncoded());
		}
		catch (CertificateEncodingException ex) {
			throw new PkiException("Certificate cannot be encoded: " + ex.getMessage(), ex);
		}
	}

	static byte[] sha256(byte[] data) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(data);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every JVM", ex);
		}
	}

}
