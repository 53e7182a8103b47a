package io.tether.authz;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Shapes each access token: signed ES256 with the current key, {@code aud} the client's
 * configured audiences, and {@code exp} never after the client certificate's
 * {@code notAfter} (a token must not outlive the key it is bound to). Spring adds
 * {@code cnf.x5t#S256} itself from the authenticated client's certificate, and
 * {@code cnf.jkt} from a DPoP proof. A public client has neither certificate nor secret,
 * so its token request without a DPoP proof is refused: no bearer token is ever issued.
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
		if (SpiffeClients.isPublic(context.getRegisteredClient())
				&& context.get(OAuth2TokenContext.DPOP_PROOF_KEY) == null) {
			throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
					"A DPoP proof is required: this public client gets only DPoP-bound tokens (RFC 9449)", null));
		}
		context.getJwsHeader().algorithm(SignatureAlgorithm.ES256).keyId(this.keys.current().getKeyID());
		// RFC 9068 §2.2: whose token it is, when sub is a person's
		context.getClaims().claim("client_id", context.getRegisteredClient().getClientId());
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
