package io.tether.authz;

import java.security.cert.X509Certificate;
import java.util.Map;

import io.tether.pki.SpiffeId;
import io.tether.pki.Thumbprints;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.authentication.AuthenticationProvider;

/**
 * RFC 8705 {@code tls_client_auth} by SPIFFE ID. The converter takes the certificate the
 * TLS handshake verified, whatever the length of its chain (Spring's own calls a
 * one-certificate chain "self-signed"), with the SPIFFE ID as client id when the request
 * names none. The provider validates the chain against the Tether bundle, requires the
 * client id to be the certificate's SPIFFE ID and a configured client, and asks the CA
 * that the certificate is not revoked. The authenticated client keeps the chain as its
 * credentials, from which the token's {@code cnf.x5t#S256} is computed.
 */
final class SpiffeClientAuthentication {

	private static final Logger logger = LoggerFactory.getLogger(SpiffeClientAuthentication.class);

	private static final String TLS_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

	private SpiffeClientAuthentication() {
	}

	static AuthenticationConverter converter() {
		return (HttpServletRequest request) -> {
			if (!(request.getAttribute(TLS_ATTRIBUTE) instanceof X509Certificate[] chain) || chain.length == 0) {
				return null;
			}
			if (request.getParameter("client_secret") != null || request.getParameter("client_assertion") != null) {
				return null;
			}
			String clientId = request.getParameter("client_id");
			if (clientId != null && !clientId.startsWith("spiffe://")) {
				// a public client's request from a browser that happens to hold a
				// certificate
				return null;
			}
			if (clientId == null) {
				clientId = SpiffeId.of(chain[0]).map(SpiffeId::toString).orElse(null);
			}
			if (clientId == null) {
				return null;
			}
			return new OAuth2ClientAuthenticationToken(clientId, ClientAuthenticationMethod.TLS_CLIENT_AUTH, chain,
					Map.of());
		};
	}

	static AuthenticationProvider provider(SpiffeClients clients, TrustBundle trust, CertificateStatuses statuses) {
		return new AuthenticationProvider() {

			@Override
			public Authentication authenticate(Authentication authentication) {
				OAuth2ClientAuthenticationToken token = (OAuth2ClientAuthenticationToken) authentication;
				if (!ClientAuthenticationMethod.TLS_CLIENT_AUTH.equals(token.getClientAuthenticationMethod())
						&& !ClientAuthenticationMethod.SELF_SIGNED_TLS_CLIENT_AUTH
							.equals(token.getClientAuthenticationMethod())) {
					return null;
				}
				if (!(token.getCredentials() instanceof X509Certificate[] chain) || chain.length == 0) {
					throw invalid("no client certificate");
				}
				String clientId = (String) token.getPrincipal();
				String problem = trust.validate(chain);
				if (problem != null) {
					throw invalid("the certificate does not chain to the Tether bundle (" + problem + ")");
				}
				String spiffeId = SpiffeId.of(chain[0]).map(SpiffeId::toString).orElse(null);
				if (spiffeId == null || !spiffeId.equals(clientId)) {
					throw invalid("client_id '" + clientId + "' is not the certificate's SPIFFE ID (" + spiffeId + ")");
				}
				RegisteredClient client = clients.findByClientId(clientId);
				if (client == null) {
					throw invalid("'" + clientId + "' is not a configured client (tether.authz.clients)");
				}
				String status = statuses.status(Thumbprints.x5tS256(chain[0]));
				if (!"valid".equals(status)) {
					throw invalid("the CA says the certificate is " + status);
				}
				return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.TLS_CLIENT_AUTH, chain);
			}

			@Override
			public boolean supports(Class<?> type) {
				return OAuth2ClientAuthenticationToken.class.isAssignableFrom(type);
			}

		};
	}

	private static OAuth2AuthenticationException invalid(String why) {
		logger.info("Client authentication refused: {}", why);
		return new OAuth2AuthenticationException(
				new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, "Client authentication failed: " + why, null));
	}

}
