package io.tether.authz;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Shapes each access token: signed ES256 with the current key, {@code aud} the client's
 * configured audiences, and {@code exp} never after the client certificate's
 * {@code notAfter} (a token must not outlive the key it is bound to). Spring adds
 * {@code cnf.x5t#S256} itself from the authenticated client's certificate.
 */
final class BoundTokenCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

	private final SigningKeys keys;

	BoundTokenCustomizer(SigningKeys keys) {
		this.keys = keys;
	}

	@Override
	public void customize(JwtEncodingContext context) {
		if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
			return;
		}
		context.getJwsHeader().algorithm(SignatureAlgorithm.ES256).keyId(this.keys.current().getKeyID());
		List<String> audiences = context.getRegisteredClient().getClientSettings().getSetting(SpiffeClients.AUDIENCES);
		if (audiences != null && !audiences.isEmpty()) {
			// a mutable list: the claims are stored (DatabaseAuthorizations), and
			// Spring's
			// JSON allowlist does not know the JDK's immutable ones
			context.getClaims().audience(new ArrayList<>(audiences));
		}
		Authentication grant = context.getAuthorizationGrant();
		if (grant != null && grant.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
				&& client.getCredentials() instanceof X509Certificate[] chain && chain.length > 0) {
			Instant notAfter = chain[0].getNotAfter().toInstant();
			context.getClaims().claims((claims) -> {
				if (claims.get("exp") instanceof Instant exp && exp.isAfter(notAfter)) {
					claims.put("exp", notAfter);
				}
			});
		}
	}

}
