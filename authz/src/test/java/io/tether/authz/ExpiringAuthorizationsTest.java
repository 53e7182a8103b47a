package io.tether.authz;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

class ExpiringAuthorizationsTest {

	private final MovableClock clock = new MovableClock();

	private final ExpiringAuthorizations authorizations = new ExpiringAuthorizations(this.clock);

	private final RegisteredClient client = RegisteredClient.withId("spiffe://td/ns/web")
		.clientId("spiffe://td/ns/web")
		.clientAuthenticationMethod(ClientAuthenticationMethod.TLS_CLIENT_AUTH)
		.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
		.build();

	private OAuth2Authorization issued(String value, Duration lifetime) {
		OAuth2AccessToken token = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, value, this.clock.instant(),
				this.clock.instant().plus(lifetime), Set.of("read"));
		return OAuth2Authorization.withRegisteredClient(this.client)
			.id(value)
			.principalName(this.client.getClientId())
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.token(token)
			.build();
	}

	@Test
	void tokensAreFoundUntilTheyExpireThenPurged() {
		this.authorizations.save(issued("short", Duration.ofMinutes(1)));
		this.authorizations.save(issued("long", Duration.ofMinutes(10)));
		assertThat(this.authorizations.findByToken("short", OAuth2TokenType.ACCESS_TOKEN)).isNotNull();
		assertThat(this.authorizations.purge()).isZero();

		this.clock.advance(Duration.ofMinutes(2));
		assertThat(this.authorizations.purge()).isEqualTo(1);
		assertThat(this.authorizations.findByToken("short", OAuth2TokenType.ACCESS_TOKEN)).isNull();
		assertThat(this.authorizations.findByToken("long", OAuth2TokenType.ACCESS_TOKEN)).isNotNull();
		assertThat(this.authorizations.size()).isEqualTo(1);
	}

}
