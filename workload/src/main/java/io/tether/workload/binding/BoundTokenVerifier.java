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
 * Verifies certificate-bound JWT access tokens (RFC 8705) for a resource server: the
 * signature against the authorization server's JWKS, {@code exp} and {@code nbf} (with a
 * small skew), {@code iss} and {@code aud} when configured, and that {@code cnf.x5t#S256}
 * equals the thumbprint of the client certificate of the same connection. A token without
 * {@code cnf} is refused unless unbound tokens are allowed explicitly: a bearer token
 * copied from a log must not work.
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
		String bound = thumbprint(claims);
		if (bound == null) {
			if (!this.allowUnbound) {
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
				claims.getExpirationTime().toInstant(), bound, claims.getClaims());
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

	private static String thumbprint(JWTClaimsSet claims) throws InvalidTokenException {
		Object cnf = claims.getClaim("cnf");
		if (cnf == null) {
			return null;
		}
		if (!(cnf instanceof Map<?, ?> confirmation) || !(confirmation.get("x5t#S256") instanceof String value)) {
			throw new InvalidTokenException("The access token's cnf claim has no x5t#S256 string");
		}
		return value;
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

		public BoundTokenVerifier build() {
			return new BoundTokenVerifier(this);
		}

	}

}
