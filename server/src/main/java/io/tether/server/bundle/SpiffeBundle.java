package io.tether.server.bundle;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import io.tether.pki.KeyType;
import io.tether.pki.UnsupportedKeyException;
import io.tether.server.jwt.JwtAuthority;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A trust bundle in the SPIFFE Trust Domain and Bundle format: a JWK Set with one
 * {@code x509-svid} key per trust anchor and one {@code jwt-svid} key per published JWT
 * authority key, each carrying the anchor's certificate as its single {@code x5c} entry
 * and its public key parameters (RFC 7517, RFC 7518), plus {@code spiffe_sequence} and
 * {@code spiffe_refresh_hint}.
 * <p>
 * Written by hand rather than with a JOSE library: the format needs only the public
 * parameters of EC and RSA keys, and the server has no other use for one.
 */
final class SpiffeBundle {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private SpiffeBundle() {
	}

	/**
	 * The bundle's JSON.
	 * @param anchors the trust anchors, in the order of the PEM bundle
	 * @param sequence {@code spiffe_sequence}
	 * @param refreshHint {@code spiffe_refresh_hint}, sent in whole seconds (at least 1)
	 * @return the JWK Set
	 * @throws IllegalArgumentException for a key that is neither EC on P-256 or P-384 nor
	 * RSA
	 */
	static String write(List<X509Certificate> anchors, long sequence, Duration refreshHint) {
		return write(anchors, List.of(), sequence, refreshHint);
	}

	/**
	 * The bundle's JSON with the JWT authority's keys after the trust anchors, each
	 * {@code use} {@code jwt-svid} with its {@code kid}.
	 * @param anchors the trust anchors, in the order of the PEM bundle
	 * @param jwtKeys the JWT authority's published keys
	 * @param sequence {@code spiffe_sequence}
	 * @param refreshHint {@code spiffe_refresh_hint}, sent in whole seconds (at least 1)
	 * @return the JWK Set
	 */
	static String write(List<X509Certificate> anchors, List<JwtAuthority.PublishedKey> jwtKeys, long sequence,
			Duration refreshHint) {
		ObjectNode bundle = JSON.createObjectNode();
		var keys = bundle.putArray("keys");
		for (X509Certificate anchor : anchors) {
			keys.add(jwk(anchor));
		}
		for (JwtAuthority.PublishedKey key : jwtKeys) {
			ObjectNode jwk = JSON.createObjectNode();
			jwk.put("use", "jwt-svid");
			jwk.put("kid", key.kid());
			jwk.put("kty", "EC");
			jwk.put("crv", "P-256");
			jwk.put("x", unsigned(key.publicKey().getW().getAffineX(), 32));
			jwk.put("y", unsigned(key.publicKey().getW().getAffineY(), 32));
			keys.add(jwk);
		}
		bundle.put("spiffe_sequence", sequence);
		bundle.put("spiffe_refresh_hint", Math.max(1, refreshHint.toSeconds()));
		return JSON.writeValueAsString(bundle);
	}

	static ObjectNode jwk(X509Certificate anchor) {
		ObjectNode jwk = JSON.createObjectNode();
		jwk.put("use", "x509-svid");
		PublicKey key = anchor.getPublicKey();
		switch (key) {
			case ECPublicKey ec -> {
				// coordinates are as long as the curve's field (RFC 7518 section 6.2.1.2)
				int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
				jwk.put("kty", "EC");
				jwk.put("crv", curve(ec));
				jwk.put("x", unsigned(ec.getW().getAffineX(), size));
				jwk.put("y", unsigned(ec.getW().getAffineY(), size));
			}
			case RSAPublicKey rsa -> {
				jwk.put("kty", "RSA");
				jwk.put("n", unsigned(rsa.getModulus(), (rsa.getModulus().bitLength() + 7) / 8));
				jwk.put("e", unsigned(rsa.getPublicExponent(), (rsa.getPublicExponent().bitLength() + 7) / 8));
			}
			default -> throw new IllegalArgumentException("Trust anchor " + anchor.getSubjectX500Principal().getName()
					+ " has a " + key.getAlgorithm() + " key; the SPIFFE bundle carries EC and RSA keys");
		}
		try {
			jwk.putArray("x5c").add(Base64.getEncoder().encodeToString(anchor.getEncoded()));
		}
		catch (CertificateEncodingException ex) {
			throw new IllegalStateException("A trust anchor cannot be DER-encoded", ex);
		}
		return jwk;
	}

	/**
	 * The JWK name of the key's curve: by its OID, not its field size, which P-256 shares
	 * with curves such as secp256k1.
	 */
	private static String curve(ECPublicKey key) {
		try {
			return switch (KeyType.of(key)) {
				case EC_P256 -> "P-256";
				case EC_P384 -> "P-384";
				default -> throw new IllegalStateException("Not an EC key type: " + KeyType.of(key));
			};
		}
		catch (UnsupportedKeyException ex) {
			throw new IllegalArgumentException(
					"A trust anchor's EC key is on no curve the SPIFFE bundle names: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Base64url of the big-endian unsigned value, left-padded to {@code length} bytes:
	 * RFC 7518 fixes the length of EC coordinates, and forbids the sign byte that
	 * {@link BigInteger#toByteArray()} may prepend.
	 */
	private static String unsigned(BigInteger value, int length) {
		byte[] bytes = value.toByteArray();
		byte[] fixed = new byte[Math.max(length, 1)];
		int copy = Math.min(bytes.length, fixed.length);
		System.arraycopy(bytes, bytes.length - copy, fixed, fixed.length - copy, copy);
		return BASE64URL.encodeToString(fixed);
	}

}
