package io.tether.authz;

import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

import io.tether.pki.InvalidSpiffeIdException;
import io.tether.pki.SpiffeId;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Component;

/**
 * OAuth clients are workloads: the client id is the workload's SPIFFE ID, and
 * {@code tether.authz.clients} says which IDs (exactly, or by path prefix; the most
 * specific rule wins) may get tokens, with which scopes and for which audiences. Clients
 * authenticate only with their certificate ({@code tls_client_auth}); their tokens are
 * always bound to it. Beside them, {@code tether.authz.public-clients} lists clients
 * without credentials (whose ids are never SPIFFE IDs): authorization code with PKCE for
 * a person who signs in, tokens bound to the DPoP key of the token request.
 */
@Component
class SpiffeClients implements RegisteredClientRepository {

	static final String AUDIENCES = "tether.audiences";

	private final AuthzProperties properties;

	SpiffeClients(AuthzProperties properties) {
		this.properties = properties;
	}

	@Override
	public RegisteredClient findByClientId(String clientId) {
		for (AuthzProperties.PublicClient client : this.properties.publicClients()) {
			if (client.clientId().equals(clientId)) {
				return publicClient(client);
			}
		}
		return rule(clientId).map((rule) -> client(clientId, rule)).orElse(null);
	}

	static boolean isPublic(RegisteredClient client) {
		return client.getClientAuthenticationMethods().equals(Set.of(ClientAuthenticationMethod.NONE));
	}

	@Override
	public RegisteredClient findById(String id) {
		return findByClientId(id);
	}

	@Override
	public void save(RegisteredClient registeredClient) {
		throw new UnsupportedOperationException("Clients come from tether.authz.clients");
	}

	private RegisteredClient publicClient(AuthzProperties.PublicClient client) {
		return RegisteredClient.withId(client.clientId())
			.clientId(client.clientId())
			.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUris((uris) -> uris.addAll(client.redirectUris()))
			.scopes((scopes) -> scopes.addAll(client.scopes()))
			.clientSettings(ClientSettings.builder()
				.requireProofKey(true)
				.requireAuthorizationConsent(false)
				.setting(AUDIENCES, client.audiences())
				.build())
			.tokenSettings(TokenSettings.builder()
				.accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
				.accessTokenTimeToLive((client.tokenTtl() != null) ? client.tokenTtl() : this.properties.tokenTtl())
				.build())
			.build();
	}

	private Optional<AuthzProperties.ClientRule> rule(String clientId) {
		try {
			SpiffeId.parse(clientId);
		}
		catch (InvalidSpiffeIdException | NullPointerException ex) {
			return Optional.empty();
		}
		return this.properties.clients()
			.stream()
			.filter((rule) -> rule.matches(clientId))
			.max(Comparator.comparingInt(AuthzProperties.ClientRule::specificity));
	}

	private RegisteredClient client(String clientId, AuthzProperties.ClientRule rule) {
		return RegisteredClient.withId(clientId)
			.clientId(clientId)
			.clientAuthenticationMethod(ClientAuthenticationMethod.TLS_CLIENT_AUTH)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.scopes((scopes) -> scopes.addAll(rule.scopes()))
			.clientSettings(ClientSettings.builder().setting(AUDIENCES, rule.audiences()).build())
			.tokenSettings(TokenSettings.builder()
				.accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
				.accessTokenTimeToLive(this.properties.tokenTtl())
				.x509CertificateBoundAccessTokens(true)
				.build())
			.build();
	}

}
