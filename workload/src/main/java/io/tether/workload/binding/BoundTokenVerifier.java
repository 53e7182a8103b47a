package io.tether.workload.binding;

import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import javax.net.ssl.SSLContext;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.tether.pki.Thumbprints;

/**
 * Verifies sender-constrained JWT access tokens for a resource server: the signature
 * against the authorization server's JWKS, {@code exp} and {@code nbf} (with a small
 * skew), {@code iss} and {@code aud} when configured, and the binding: a
 * {@code cnf.x5t#S256} (RFC 8705) must equal the thumbprint of the client certificate of
 * the same connection; a {@code cnf.jkt} (RFC 9449) needs {@code Authorization: DPoP}
 * ({@link #verifyDpop}) with a proof that {@link DpopProofVerifier} accepts, and is
 * refused as a bearer token. A token without {@code cnf} is refused unless unbound tokens
 * are allowed explicitly: a bearer token copied from a log must not work.
 * <p>
 * Thread-safe; build one per resource server and share it.
 */
public final class BoundTokenVerifier {

	private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384,
			JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.Ed25519, JWSAlgorithm.EdDSA);

	private final DefaultJWTProcessor<SecurityContext> processor;

	private final String issuer;

	private final String audience;

	private final boolean allowUnbound;

	private final Duration skew;

	private final Clock clock;

	private final DpopProofVerifier dpop;

	private BoundTokenVerifier(Builder builder) {
		this.processor = new DefaultJWTProcessor<>();
		this.processor.setJWSTypeVerifier(
				new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
		this.processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, builder.keys));
		// time, issuer and audience are checked below, against the injected clock
		this.processor.setJWTClaimsSetVerifier((claims, context) -> {
		});
		this.issuer = builder.issuer;
		this.audience = builder.audience;
		this.allowUnbound = builder.allowUnbound;
		this.skew = builder.skew;
		this.clock = builder.clock;
		this.dpop = builder.dpop;
	}

	/**
	 * A verifier that fetches the signing keys from a JWKS URL (cached, refetched when a
	 * token names an unknown key, so key rotation needs no restart).
	 * @param jwkSetUri the authorization server's {@code jwks_uri}
	 * @param sslContext trust for fetching it over HTTPS (for a Tether-certified
	 * authorization server, a context over the Tether bundle), or {@code null} for the
	 * JDK's default trust
	 * @return a builder
	 */
	public static Builder fromJwkSetUri(URI jwkSetUri, SSLContext sslContext) {
		DefaultResourceRetriever retriever = new DefaultResourceRetriever(5000, 5000, 512 * 1024, true,
				(sslContext != null) ? sslContext.getSocketFactory() : null);
		try {
			return new Builder(JWKSourceBuilder.create(jwkSetUri.toURL(), retriever).retrying(true).build());
		}
		catch (MalformedURLException ex) {
			throw new IllegalArgumentException("'jwkSetUri' must be a URL: " + jwkSetUri, ex);
		}
	}

	/**
	 * A verifier over a key source of the caller's choosing.
	 * @param keys the authorization server's public keys
	 * @return a builder
	 */
	public static Builder fromKeys(JWKSource<SecurityContext> keys) {
		return new Builder(Objects.requireNonNull(keys, "'keys' must not be null"));
	}

	/**
	 * Verifies a token presented on a connection.
	 * @param token the compact JWT from {@code Authorization: Bearer}
	 * @param clientCertificate the client certificate of that connection (from TLS, or
	 * from a trusted proxy's {@code Client-Cert}), or {@code null} if there was none
	 * @return the verified token
	 * @throws InvalidTokenException why it must be refused
	 */
	public VerifiedToken verify(String token, X509Certificate clientCertificate) throws InvalidTokenException {
		return verify(token, clientCertificate, null);
	}

	/**
	 * Verifies a token presented with {@code Authorization: DPoP} (RFC 9449 §7.1): the
	 * token as {@link #verify(String, X509Certificate)} does, then the proof, which must
	 * be signed with the key of the token's {@code cnf.jkt}. A token that also carries
	 * {@code cnf.x5t#S256} must match the connection's certificate too.
	 * @param token the compact JWT from {@code Authorization: DPoP}
	 * @param proof the value of the request's single {@code DPoP} header, or {@code null}
	 * @param method the request's method
	 * @param uri the request's absolute URI as the client addressed it
	 * @param clientCertificate the connection's client certificate, or {@code null}
	 * @return the verified token, with its {@code jkt}
	 * @throws InvalidDpopProofException if the proof must be refused
	 * ({@code invalid_dpop_proof}, or {@code use_dpop_nonce})
	 * @throws InvalidTokenException if the token must be refused ({@code invalid_token}),
	 * among others when it is not DPoP-bound or this verifier has no DPoP settings
	 */
	public VerifiedToken verifyDpop(String token, String proof, String method, String uri,
			X509Certificate clientCertificate) throws InvalidTokenException {
		if (this.dpop == null) {
			throw new InvalidTokenException("This resource server does not accept DPoP-bound tokens");
		}
		return verify(token, clientCertificate, new Proof(proof, method, uri));
	}

	/**
	 * @return the DPoP nonce clients must use now, or {@code null} if none is required
	 */
	public String currentDpopNonce() {
		return (this.dpop != null) ? this.dpop.currentNonce() : null;
	}

	/**
	 * @return whether DPoP-bound tokens are accepted (with {@link #verifyDpop})
	 */
	public boolean acceptsDpop() {
		return this.dpop != null;
	}

	private record Proof(String value, String method, String uri) {
	}

	private VerifiedToken verify(String token, X509Certificate clientCertificate, Proof proof)
			throws InvalidTokenException {
		JWTClaimsSet claims;
		try {
			claims = this.processor.process(token, null);
		}
		catch (ParseException ex) {
			throw new InvalidTokenException("The access token is not a JWT", ex);
		}
		catch (BadJOSEException ex) {
			throw new InvalidTokenException("The access token's signature does not verify with the authorization "
					+ "server's keys (" + ex.getMessage() + ")", ex);
		}
		catch (JOSEException ex) {
			throw new InvalidTokenException("The access token cannot be verified: " + ex.getMessage(), ex);
		}
		Instant now = this.clock.instant();
		checkTimes(claims, now);
		checkIssuerAndAudience(claims);
		Map<?, ?> cnf = confirmation(claims);
		String bound = (cnf != null && cnf.get("x5t#S256") instanceof String value) ? value : null;
		String jkt = (cnf != null && cnf.get("jkt") instanceof String value) ? value : null;
		if (proof == null && jkt != null) {
			throw new InvalidTokenException("The access token is bound to a DPoP key (cnf.jkt): present it with "
					+ "Authorization: DPoP and a DPoP proof, not as a bearer token");
		}
		if (proof != null) {
			if (jkt == null) {
				throw new InvalidTokenException(
						"The access token is not bound to a DPoP key (no cnf.jkt); it cannot be presented as DPoP");
			}
			this.dpop.verify(proof.value(), proof.method(), proof.uri(), token, jkt);
		}
		if (bound == null) {
			if (jkt == null && !this.allowUnbound) {
				throw new InvalidTokenException("The access token is not bound to a certificate (no cnf.x5t#S256)");
			}
		}
		else {
			if (clientCertificate == null) {
				throw new InvalidTokenException(
						"The access token is bound to a certificate, but the connection presented none");
			}
			byte[] presented = Thumbprints.x5tS256(clientCertificate).getBytes(StandardCharsets.US_ASCII);
			if (!MessageDigest.isEqual(presented, bound.getBytes(StandardCharsets.US_ASCII))) {
				throw new InvalidTokenException(
						"The access token is bound to another certificate than the one this connection presented");
			}
		}
		return new VerifiedToken(claims.getSubject(), stringClaim(claims, "client_id"),
				(claims.getAudience() != null) ? claims.getAudience() : List.of(), scopes(claims),
				claims.getExpirationTime().toInstant(), bound, claims.getClaims(), jkt);
	}

	private void checkTimes(JWTClaimsSet claims, Instant now) throws InvalidTokenException {
		if (claims.getExpirationTime() == null) {
			throw new InvalidTokenException("The access token has no expiry (exp)");
		}
		if (!now.isBefore(claims.getExpirationTime().toInstant().plus(this.skew))) {
			throw new InvalidTokenException("The access token expired at " + claims.getExpirationTime().toInstant());
		}
		if (claims.getNotBeforeTime() != null && now.plus(this.skew).isBefore(claims.getNotBeforeTime().toInstant())) {
			throw new InvalidTokenException(
					"The access token is not valid before " + claims.getNotBeforeTime().toInstant());
		}
	}

	private void checkIssuerAndAudience(JWTClaimsSet claims) throws InvalidTokenException {
		if (this.issuer != null && !this.issuer.equals(claims.getIssuer())) {
			throw new InvalidTokenException(
					"The access token was issued by '" + claims.getIssuer() + "', not '" + this.issuer + "'");
		}
		if (this.audience != null && (claims.getAudience() == null || !claims.getAudience().contains(this.audience))) {
			throw new InvalidTokenException("The access token is not for this audience ('" + this.audience + "')");
		}
	}

	private static Map<?, ?> confirmation(JWTClaimsSet claims) throws InvalidTokenException {
		Object cnf = claims.getClaim("cnf");
		if (cnf == null) {
			return null;
		}
		if (!(cnf instanceof Map<?, ?> confirmation)
				|| !(confirmation.get("x5t#S256") instanceof String || confirmation.get("jkt") instanceof String)) {
			throw new InvalidTokenException("The access token's cnf claim has no x5t#S256 string");
		}
		return confirmation;
	}

	private static Set<String> scopes(JWTClaimsSet claims) {
		Object scope = claims.getClaim("scope");
		if (scope instanceof String text) {
			return new HashSet<>(Arrays.asList(text.trim().split("\\s+")));
		}
		if (scope instanceof List<?> list) {
			Set<String> scopes = new HashSet<>();
			list.forEach((item) -> scopes.add(String.valueOf(item)));
			return scopes;
		}
		return Set.of();
	}

	private static String stringClaim(JWTClaimsSet claims, String name) {
		return (claims.getClaim(name) instanceof String value) ? value : null;
	}

	/**
	 * Settings of a {@link BoundTokenVerifier}.
	 */
	public static final class Builder {

		private final JWKSource<SecurityContext> keys;

		private String issuer;

		private String audience;

		private boolean allowUnbound;

		private Duration skew = Duration.ofSeconds(30);

		private Clock clock = Clock.systemUTC();

		private DpopProofVerifier dpop;

		private Builder(JWKSource<SecurityContext> keys) {
			this.keys = keys;
		}

		/**
		 * @param issuer the {@code iss} every token must carry, or {@code null} not to
		 * check
		 * @return this builder
		 */
		public Builder issuer(String issuer) {
			this.issuer = issuer;
			return this;
		}

		/**
		 * @param audience a value {@code aud} must contain (this resource server), or
		 * {@code null} not to check
		 * @return this builder
		 */
		public Builder audience(String audience) {
			this.audience = audience;
			return this;
		}

		/**
		 * Accepts tokens without {@code cnf} (plain bearer tokens). Off by default; turn
		 * it on only while migrating clients.
		 * @param allow whether to accept them
		 * @return this builder
		 */
		public Builder allowUnboundTokens(boolean allow) {
			this.allowUnbound = allow;
			return this;
		}

		/**
		 * @param skew tolerance for clock differences on {@code exp} and {@code nbf}
		 * (default 30 s)
		 * @return this builder
		 */
		public Builder clockSkew(Duration skew) {
			this.skew = Objects.requireNonNull(skew, "'skew' must not be null");
			return this;
		}

		/**
		 * @param clock the time source (tests)
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
			return this;
		}

		/**
		 * Accepts DPoP-bound tokens ({@code cnf.jkt}, RFC 9449) presented with
		 * {@code Authorization: DPoP} and a proof this verifier accepts. Without it, such
		 * tokens are refused.
		 * @param proofs checks the proofs; give every instance behind one address the
		 * same {@link DpopReplayStore}
		 * @return this builder
		 */
		public Builder dpop(DpopProofVerifier proofs) {
			this.dpop = proofs;
			return this;
		}

		public BoundTokenVerifier build() {
			return new BoundTokenVerifier(this);
		}

	}

}
