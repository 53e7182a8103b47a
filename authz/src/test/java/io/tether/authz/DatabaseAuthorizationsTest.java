package io.tether.authz;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.tether.pki.testing.ManualClock;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseAuthorizationsTest {

	private static final String CLIENT = "spiffe://td/ns/web";

	private final ManualClock clock = new ManualClock(Instant.now());

	private final JdbcTemplate jdbc = AuthzTestDatabase.create();

	private AuthzProperties properties(List<AuthzProperties.ClientRule> rules) {
		return new AuthzProperties(URI.create("https://authz.test"), URI.create("https://ca.test"),
				new AuthzProperties.Credentials(Path.of("c"), Path.of("k"), Path.of("b")), Duration.ofMinutes(5),
				Duration.ofSeconds(30), Duration.ofHours(24), rules, Path.of("data"), null, null,
				Duration.ofSeconds(10),
				List.of(new AuthzProperties.PublicClient("tether-cli", List.of("http://127.0.0.1/callback"),
						List.of("read"), List.of("orders"), null)),
				List.of(new AuthzProperties.User("alice", "{bcrypt}$2b$04$notarealhashnotarealhashnotarealhas",
						List.of())));
	}

	private final SpiffeClients clients = new SpiffeClients(properties(
			List.of(new AuthzProperties.ClientRule(null, "spiffe://td/ns/", List.of("read"), List.of("orders")))));

	private final DatabaseAuthorizations authorizations = new DatabaseAuthorizations(this.jdbc, this.clients,
			this.clock);

	private OAuth2Authorization issued(String value, Instant expires) {
		OAuth2AccessToken token = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, value,
				expires.minus(Duration.ofMinutes(5)), expires, Set.of("read"));
		return OAuth2Authorization.withRegisteredClient(this.clients.findByClientId(CLIENT))
			.principalName(CLIENT)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.authorizedScopes(Set.of("read"))
			.token(token)
			.build();
	}

	@Test
	void tokenWithoutATypeHintIsFoundAsAnAccessToken() {
		this.authorizations.save(issued("token-1", this.clock.instant().plus(Duration.ofMinutes(5))));
		assertThat(this.authorizations.findByToken("token-1", null)).isNotNull();
		assertThat(this.authorizations.findByToken("token-1", OAuth2TokenType.ACCESS_TOKEN)).isNotNull();
		assertThat(this.authorizations.findByToken("token-1", OAuth2TokenType.REFRESH_TOKEN)).isNull();
		assertThat(this.authorizations.findByToken("token-2", null)).isNull();
	}

	@Test
	void purgeDeletesTokensExpiredLongerThanTheGraceAndKeepsTheRest() {
		Instant now = this.clock.instant();
		for (int i = 0; i < 1005; i++) {
			this.authorizations.save(issued("expired-" + i, now.minus(Duration.ofMinutes(6))));
		}
		this.authorizations.save(issued("just-expired", now.minus(Duration.ofMinutes(1))));
		this.authorizations.save(issued("live", now.plus(Duration.ofMinutes(5))));

		assertThat(this.authorizations.purge()).isEqualTo(1005);
		assertThat(this.authorizations.size()).isEqualTo(2);
		assertThat(this.authorizations.findByToken("live", null)).isNotNull();
		assertThat(this.authorizations.findByToken("just-expired", null)).as("within the skew grace").isNotNull();
	}

	private OAuth2Authorization codeIssued(String code, Instant expires) {
		return OAuth2Authorization.withRegisteredClient(this.clients.findByClientId("tether-cli"))
			.principalName("alice")
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.authorizedScopes(Set.of("read"))
			.token(new OAuth2AuthorizationCode(code, expires.minus(Duration.ofMinutes(5)), expires))
			.build();
	}

	@Test
	void aPublicClientsCodeIsFoundByItsValueAndPurgedWhenItExpiredUnredeemed() {
		Instant now = this.clock.instant();
		OAuth2TokenType code = new OAuth2TokenType("code");
		this.authorizations.save(codeIssued("abandoned", now.minus(Duration.ofMinutes(6))));
		this.authorizations.save(codeIssued("pending", now.plus(Duration.ofMinutes(5))));
		assertThat(this.authorizations.findByToken("pending", code)).isNotNull();
		assertThat(this.authorizations.findByToken("pending", null)).as("a code is no access token").isNull();

		assertThat(this.authorizations.purge()).isEqualTo(1);
		assertThat(this.authorizations.findByToken("abandoned", code)).isNull();
		assertThat(this.authorizations.findByToken("pending", code)).isNotNull();
	}

	@Test
	void tokenOfAClientNoLongerConfiguredIsUnknownNotAnError() {
		this.authorizations.save(issued("token-1", this.clock.instant().plus(Duration.ofMinutes(5))));
		DatabaseAuthorizations withoutClients = new DatabaseAuthorizations(this.jdbc,
				new SpiffeClients(properties(List.of())), this.clock);
		assertThat(withoutClients.findByToken("token-1", null)).isNull();
	}

}
