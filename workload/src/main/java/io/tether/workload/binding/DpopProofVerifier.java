package io.tether.workload.binding;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tether.pki.CryptoProviders;

/**
 * Checks DPoP proofs (RFC 9449 §4.3) for a resource server: {@code typ} is
 * {@code dpop+jwt}; {@code alg} is asymmetric (ES256/384/512, RS256/384/512,
 * PS256/384/512; never {@code none} nor an HMAC); {@code jwk} is a public key with no
 * private member, and the signature verifies with it; {@code htm} is the request's method
 * and {@code htu} its URI without query and fragment, both normalised (RFC 3986 §6:
 * scheme and host case, default port, percent-encoding, dot segments); {@code iat} is
 * within the window; {@code ath} is the hash of the access token; the key's RFC 7638
 * thumbprint is the token's {@code cnf.jkt}; the server nonce is current, when nonces are
 * configured; and, last, the {@code jti} was never accepted before within the window, by
 * any verifier sharing the {@link DpopReplayStore}.
 * <p>
 * Thread-safe; build one and share it.
 */
public final class DpopProofVerifier {

	/** The algorithms a proof may use, as advertised in {@code algs}. */
	public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384,
			JWSAlgorithm.ES512, JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256,
			JWSAlgorithm.PS384, JWSAlgorithm.PS512);

	/** The {@code algs} parameter of a {@code WWW-Authenticate: DPoP} challenge. */
	public static final String ALGS = "ES256 ES384 ES512 RS256 RS384 RS512 PS256 PS384 PS512";

	private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

	private static final int MAX_JTI_LENGTH = 256;

	private final DpopReplayStore replays;

	private final Duration maxAge;

	private final Duration futureSkew;

	private final DpopNonces nonces;

	private final Clock clock;

	private DpopProofVerifier(Builder builder) {
		this.replays = builder.replays;
		this.maxAge = builder.maxAge;
		this.futureSkew = builder.futureSkew;
		this.nonces = builder.nonces;
		this.clock = builder.clock;
	}

	/**
	 * @param replays where accepted {@code jti}s are remembered; share one between all
	 * instances behind one address
	 * @return a builder
	 */
	public static Builder withReplayStore(DpopReplayStore replays) {
		return new Builder(Objects.requireNonNull(replays, "'replays' must not be null"));
	}

	/**
	 * Verifies a proof.
	 * @param proof the compact JWT from the {@code DPoP} header
	 * @param method the request's method
	 * @param uri the request's absolute URI, as the client addressed it (query and
	 * fragment are ignored)
	 * @param accessToken the access token the proof goes with, or {@code null} at a token
	 * endpoint (no {@code ath} then)
	 * @param jkt the thumbprint the token is bound to ({@code cnf.jkt}), or {@code null}
	 * not to compare
	 * @return the RFC 7638 SHA-256 thumbprint of the proof's key
	 * @throws InvalidDpopProofException why the proof must be refused ({@code error()}
	 * {@code use_dpop_nonce} with a fresh nonce when nonces are required)
	 */
	public String verify(String proof, String method, String uri, String accessToken, String jkt)
			throws InvalidDpopProofException {
		if (proof == null || proof.isBlank()) {
			throw new InvalidDpopProofException("The request has no DPoP proof (DPoP header)");
		}
		JWK key = publicKey(proof);
		SignedJWT jwt;
		JWTClaimsSet claims;
		try {
			jwt = SignedJWT.parse(proof);
			claims = jwt.getJWTClaimsSet();
		}
		catch (ParseException ex) {
			throw new InvalidDpopProofException("The DPoP proof is not a signed JWT: " + ex.getMessage(), ex);
		}
		checkSignature(jwt, key);
		checkClaims(claims, method, uri, accessToken);
		String thumbprint;
		try {
			thumbprint = key.computeThumbprint("SHA-256").toString();
		}
		catch (JOSEException ex) {
			throw new InvalidDpopProofException("The DPoP proof's jwk has no thumbprint: " + ex.getMessage(), ex);
		}
		if (jkt != null && !MessageDigest.isEqual(thumbprint.getBytes(StandardCharsets.US_ASCII),
				jkt.getBytes(StandardCharsets.US_ASCII))) {
			throw new InvalidDpopProofException(
					"The DPoP proof is signed by another key than the one the access token is bound to (cnf.jkt)");
		}
		Instant iat = claims.getIssueTime().toInstant();
		boolean first;
		try {
			first = this.replays.firstUse(claims.getJWTID(), iat.plus(this.maxAge));
		}
		catch (IllegalStateException ex) {
			throw new InvalidDpopProofException("The DPoP proof cannot be checked for replay: " + ex.getMessage(), ex);
		}
		if (!first) {
			throw new InvalidDpopProofException("The DPoP proof was used before (its jti was seen)");
		}
		return thumbprint;
	}

	/**
	 * @return the nonce clients must put in their proofs now, or {@code null} if nonces
	 * are not required
	 */
	public String currentNonce() {
		return (this.nonces != null) ? this.nonces.current() : null;
	}

	/**
	 * Reads the protected header without trusting it: {@code typ}, {@code alg} and a
	 * public-only {@code jwk}, before any signature work.
	 */
	private static JWK publicKey(String proof) throws InvalidDpopProofException {
		int dot = proof.indexOf('.');
		Map<String, Object> header;
		try {
			header = JSONObjectUtils.parse(new String(
					Base64.getUrlDecoder().decode(proof.substring(0, Math.max(dot, 0))), StandardCharsets.UTF_8));
		}
		catch (ParseException | IllegalArgumentException ex) {
			throw new InvalidDpopProofException("The DPoP proof is not a JWT", ex);
		}
		if (!"dpop+jwt".equals(header.get("typ"))) {
			throw new InvalidDpopProofException("The DPoP proof's typ is not dpop+jwt");
		}
		Object alg = header.get("alg");
		if (!(alg instanceof String name) || !ALGORITHMS.contains(JWSAlgorithm.parse(name))) {
			String why = ("none".equals(alg)) ? "is not signed (alg none)"
					: (alg instanceof String name && name.startsWith("HS"))
							? "uses a symmetric algorithm (" + name + "); DPoP needs an asymmetric one"
							: "uses an algorithm that is not accepted (" + alg + ")";
			throw new InvalidDpopProofException("The DPoP proof " + why);
		}
		if (!(header.get("jwk") instanceof Map<?, ?> jwk)) {
			throw new InvalidDpopProofException("The DPoP proof has no jwk header");
		}
		for (Object member : jwk.keySet()) {
			if (PRIVATE_MEMBERS.contains(member)) {
				throw new InvalidDpopProofException(
						"The DPoP proof's jwk holds private key material ('" + member + "'); it must be a public key");
			}
		}
		try {
			@SuppressWarnings("unchecked")
			JWK key = JWK.parse((Map<String, Object>) jwk);
			return key;
		}
		catch (ParseException ex) {
			throw new InvalidDpopProofException("The DPoP proof's jwk is not a key: " + ex.getMessage(), ex);
		}
	}

	private static void checkSignature(SignedJWT jwt, JWK key) throws InvalidDpopProofException {
		try {
			JWSVerifier verifier;
			if (key instanceof ECKey ec) {
				ECDSAVerifier ecdsa = new ECDSAVerifier(ec.toECPublicKey());
				ecdsa.getJCAContext().setProvider(CryptoProviders.bouncyCastle());
				verifier = ecdsa;
			}
			else if (key instanceof RSAKey rsa) {
				verifier = new RSASSAVerifier(rsa.toRSAPublicKey());
			}
			else {
				throw new InvalidDpopProofException("The DPoP proof's jwk is of a type that is not accepted ("
						+ key.getKeyType() + "); use EC or RSA");
			}
			if (!verifier.supportedJWSAlgorithms().contains(jwt.getHeader().getAlgorithm())) {
				throw new InvalidDpopProofException("The DPoP proof's alg " + jwt.getHeader().getAlgorithm()
						+ " does not go with its " + key.getKeyType() + " jwk");
			}
			if (!jwt.verify(verifier)) {
				throw new InvalidDpopProofException("The DPoP proof's signature does not verify with its jwk");
			}
		}
		catch (JOSEException ex) {
			throw new InvalidDpopProofException("The DPoP proof's signature cannot be verified: " + ex.getMessage(),
					ex);
		}
	}

	private void checkClaims(JWTClaimsSet claims, String method, String uri, String accessToken)
			throws InvalidDpopProofException {
		String jti = claims.getJWTID();
		if (jti == null || jti.isEmpty() || jti.length() > MAX_JTI_LENGTH) {
			throw new InvalidDpopProofException("The DPoP proof has no jti (or one longer than 256 characters)");
		}
		if (!(claims.getClaim("htm") instanceof String htm) || !htm.equals(method)) {
			throw new InvalidDpopProofException("The DPoP proof's htm is not this request's method (" + method + ")");
		}
		String expected;
		try {
			expected = normalizeUri(uri);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("'uri' must be an absolute http(s) URI: " + uri, ex);
		}
		String htu = (claims.getClaim("htu") instanceof String value) ? value : null;
		String presented;
		try {
			presented = (htu != null) ? normalizeUri(htu) : null;
		}
		catch (IllegalArgumentException ex) {
			presented = null;
		}
		if (!expected.equals(presented)) {
			throw new InvalidDpopProofException("The DPoP proof's htu is not this request's URI (" + expected + ")");
		}
		Date issued = claims.getIssueTime();
		if (issued == null) {
			throw new InvalidDpopProofException("The DPoP proof has no iat");
		}
		Instant now = this.clock.instant();
		Instant iat = issued.toInstant();
		if (iat.isBefore(now.minus(this.maxAge)) || iat.isAfter(now.plus(this.futureSkew))) {
			throw new InvalidDpopProofException(
					"The DPoP proof's iat (" + iat + ") is outside the accepted window (" + this.maxAge.toSeconds()
							+ " s before to " + this.futureSkew.toSeconds() + " s after " + now + ")");
		}
		if (this.nonces != null
				&& !this.nonces.isValid((claims.getClaim("nonce") instanceof String nonce) ? nonce : null)) {
			throw InvalidDpopProofException.useNonce("The resource server requires a current DPoP nonce in the proof",
					this.nonces.current());
		}
		if (accessToken != null) {
			if (!(claims.getClaim("ath") instanceof String ath)
					|| !MessageDigest.isEqual(ath.getBytes(StandardCharsets.US_ASCII),
							ath(accessToken).getBytes(StandardCharsets.US_ASCII))) {
				throw new InvalidDpopProofException("The DPoP proof's ath is not the hash of this access token");
			}
		}
	}

	/**
	 * The {@code ath} of an access token: base64url(SHA-256(ASCII of the token)).
	 * @param accessToken the token as sent
	 * @return the hash, without padding
	 */
	public static String ath(String accessToken) {
		try {
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(
						MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * An {@code htu} as compared (RFC 9449 §4.3, RFC 3986 §6.2.2 and §6.2.3): lower-case
	 * scheme and host, no default port, an empty path as {@code /}, dot segments removed,
	 * percent-encoded unreserved characters decoded and other escapes upper-cased; query
	 * and fragment dropped.
	 * @param uri an absolute http or https URI
	 * @return the normalised form
	 * @throws IllegalArgumentException if it is not an absolute http(s) URI with a host
	 */
	public static String normalizeUri(String uri) {
		URI parsed;
		try {
			parsed = new URI(Objects.requireNonNull(uri, "'uri' must not be null"));
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException(ex.getMessage(), ex);
		}
		String scheme = (parsed.getScheme() != null) ? parsed.getScheme().toLowerCase(Locale.ROOT) : null;
		if (!"https".equals(scheme) && !"http".equals(scheme)) {
			throw new IllegalArgumentException("not an http(s) URI");
		}
		if (parsed.getHost() == null || parsed.getRawUserInfo() != null) {
			throw new IllegalArgumentException("no host, or user information in the URI");
		}
		int port = parsed.getPort();
		boolean defaultPort = port == -1 || ("https".equals(scheme) && port == 443)
				|| ("http".equals(scheme) && port == 80);
		String path = normalizePercentEncoding((parsed.getRawPath() == null) ? "" : parsed.getRawPath());
		if (path.isEmpty()) {
			path = "/";
		}
		try {
			path = new URI("http://h" + path).normalize().getRawPath();
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException(ex.getMessage(), ex);
		}
		return scheme + "://" + parsed.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
	}

	private static String normalizePercentEncoding(String path) {
		StringBuilder out = new StringBuilder(path.length());
		for (int i = 0; i < path.length(); i++) {
			char c = path.charAt(i);
			if (c == '%' && i + 2 < path.length() && isHex(path.charAt(i + 1)) && isHex(path.charAt(i + 2))) {
				int value = Integer.parseInt(path.substring(i + 1, i + 3), 16);
				if (isUnreserved((char) value)) {
					out.append((char) value);
				}
				else {
					out.append('%').append(path.substring(i + 1, i + 3).toUpperCase(Locale.ROOT));
				}
				i += 2;
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

	private static boolean isHex(char c) {
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	}

	private static boolean isUnreserved(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
				|| c == '_' || c == '~';
	}

	/**
	 * Settings of a {@link DpopProofVerifier}.
	 */
	public static final class Builder {

		private final DpopReplayStore replays;

		private Duration maxAge = Duration.ofSeconds(60);

		private Duration futureSkew = Duration.ofSeconds(5);

		private DpopNonces nonces;

		private Clock clock = Clock.systemUTC();

		private Builder(DpopReplayStore replays) {
			this.replays = replays;
		}

		/**
		 * @param maxAge how old a proof's {@code iat} may be (default 60 s); {@code jti}s
		 * are remembered this long
		 * @param futureSkew how far in the future it may be (default 5 s)
		 * @return this builder
		 */
		public Builder window(Duration maxAge, Duration futureSkew) {
			Objects.requireNonNull(maxAge, "'maxAge' must not be null");
			Objects.requireNonNull(futureSkew, "'futureSkew' must not be null");
			if (maxAge.isNegative() || maxAge.isZero() || futureSkew.isNegative()) {
				throw new IllegalArgumentException("'maxAge' must be positive and 'futureSkew' not negative");
			}
			this.maxAge = maxAge;
			this.futureSkew = futureSkew;
			return this;
		}

		/**
		 * Requires a server nonce in every proof (RFC 9449 §9); a proof without a current
		 * one is refused with {@code use_dpop_nonce} and the nonce to use.
		 * @param nonces the nonces, or {@code null} not to require any
		 * @return this builder
		 */
		public Builder nonces(DpopNonces nonces) {
			this.nonces = nonces;
			return this;
		}

		/**
		 * @param clock the time source
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
			return this;
		}

		public DpopProofVerifier build() {
			return new DpopProofVerifier(this);
		}

	}

}
