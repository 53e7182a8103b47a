package io.tether.workload.binding;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tether.pki.Thumbprints;

/**
 * An authorization server's signing key for tests, and tokens signed with it.
 */
public final class TestTokens {

	static final String ISSUER = "https://authz.test";

	private final ECKey key;

	public TestTokens(String keyId) {
		try {
			this.key = new ECKeyGenerator(Curve.P_256).keyID(keyId).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public JWKSource<SecurityContext> publicKeys() {
		return new ImmutableJWKSet<>(new JWKSet(this.key.toPublicJWK()));
	}

	public JWTClaimsSet.Builder claims(Instant now, String x5tS256) {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER)
			.subject("spiffe://example.org/ns/web")
			.audience("orders")
			.claim("client_id", "spiffe://example.org/ns/web")
			.claim("scope", "orders.read orders.write")
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)));
		if (x5tS256 != null) {
			claims.claim("cnf", Map.of("x5t#S256", x5tS256));
		}
		return claims;
	}

	/**
	 * A token for {@code certificate}, issued at {@code now}, valid five minutes.
	 */
	public String boundTo(Instant now, X509Certificate certificate) {
		return sign(claims(now, Thumbprints.x5tS256(certificate)).build());
	}

	/**
	 * A verifier of these tokens whose clock stands at {@code now}.
	 */
	public BoundTokenVerifier verifier(Instant now) {
		return BoundTokenVerifier.fromKeys(publicKeys()).clock(Clock.fixed(now, ZoneOffset.UTC)).build();
	}

	public String sign(JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(this.key.getKeyID())
				.type(JOSEObjectType.JWT)
				.build(), claims);
			jwt.sign(new ECDSASigner(this.key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
