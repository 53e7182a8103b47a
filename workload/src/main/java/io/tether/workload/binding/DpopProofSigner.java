package io.tether.workload.binding;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tether.pki.CryptoProviders;

/**
 * The client side of DPoP (RFC 9449): an EC P-256 key pair born here (the private key
 * never leaves this object) and a fresh, signed proof for each request. Thread-safe.
 */
public final class DpopProofSigner {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final ECKey key;

	private final ECDSASigner signer;

	private final Clock clock;

	private DpopProofSigner(ECKey key, Clock clock) {
		this.key = key;
		try {
			this.signer = new ECDSASigner(key);
		}
		catch (JOSEException ex) {
			throw new IllegalArgumentException("'key' cannot sign: " + ex.getMessage(), ex);
		}
		this.signer.getJCAContext().setProvider(CryptoProviders.bouncyCastle());
		this.clock = clock;
	}

	/**
	 * A signer over a new P-256 key.
	 * @param clock the time source of {@code iat}
	 * @return the signer
	 */
	public static DpopProofSigner generate(Clock clock) {
		try {
			return new DpopProofSigner(new ECKeyGenerator(Curve.P_256).generate(),
					Objects.requireNonNull(clock, "'clock' must not be null"));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot generate a P-256 key: " + ex.getMessage(), ex);
		}
	}

	/**
	 * A signer over an existing EC key (with its private part).
	 * @param key the key
	 * @param clock the time source of {@code iat}
	 * @return the signer
	 */
	public static DpopProofSigner of(ECKey key, Clock clock) {
		Objects.requireNonNull(key, "'key' must not be null");
		if (!key.isPrivate()) {
			throw new IllegalArgumentException("'key' must hold the private key");
		}
		return new DpopProofSigner(key, Objects.requireNonNull(clock, "'clock' must not be null"));
	}

	/**
	 * @return the RFC 7638 SHA-256 thumbprint of the public key: the {@code cnf.jkt} of
	 * the tokens bound to it
	 */
	public String thumbprint() {
		try {
			return this.key.computeThumbprint("SHA-256").toString();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A new proof for one request.
	 * @param method the request's method
	 * @param uri the request's URI (query and fragment are left out of {@code htu})
	 * @param accessToken the token sent with it ({@code ath}), or {@code null} for a
	 * token request
	 * @param nonce the server's last {@code DPoP-Nonce}, or {@code null}
	 * @return the compact JWT for the {@code DPoP} header
	 */
	public String proof(String method, URI uri, String accessToken, String nonce) {
		Objects.requireNonNull(method, "'method' must not be null");
		Objects.requireNonNull(uri, "'uri' must not be null");
		byte[] jti = new byte[16];
		RANDOM.nextBytes(jti);
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
			.jwtID(Base64.getUrlEncoder().withoutPadding().encodeToString(jti))
			.claim("htm", method)
			.claim("htu", htu(uri))
			.issueTime(Date.from(this.clock.instant()));
		if (accessToken != null) {
			claims.claim("ath", DpopProofVerifier.ath(accessToken));
		}
		if (nonce != null) {
			claims.claim("nonce", nonce);
		}
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
			.jwk(this.key.toPublicJWK())
			.build(), claims.build());
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot sign a DPoP proof: " + ex.getMessage(), ex);
		}
		return jwt.serialize();
	}

	private static String htu(URI uri) {
		String text = uri.toString();
		int cut = text.length();
		int query = text.indexOf('?');
		int fragment = text.indexOf('#');
		if (query >= 0) {
			cut = query;
		}
		if (fragment >= 0 && fragment < cut) {
			cut = fragment;
		}
		return text.substring(0, cut);
	}

}
