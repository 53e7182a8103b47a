package io.tether.authz;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SpiffeClientsTest {

	private static AuthzProperties properties(List<AuthzProperties.ClientRule> rules) {
		return new AuthzProperties(URI.create("https://authz.test"), URI.create("https://ca.test"),
				new AuthzProperties.Credentials(Path.of("c"), Path.of("k"), Path.of("b")), Duration.ofMinutes(5),
				Duration.ofSeconds(30), Duration.ofHours(24), rules, Path.of("data"), null, null,
				Duration.ofSeconds(10), List.of(), List.of());
	}

	private final SpiffeClients clients = new SpiffeClients(properties(List.of(
			new AuthzProperties.ClientRule(null, "spiffe://td/ns/", List.of("read"), List.of("orders")),
			new AuthzProperties.ClientRule(null, "spiffe://td/ns/payments/", List.of("pay"), List.of("bank")),
			new AuthzProperties.ClientRule("spiffe://td/ns/payments/admin", null, List.of("admin"), List.of()))));

	@Test
	void clientIsTheSpiffeIdWithTheMostSpecificRule() {
		RegisteredClient web = this.clients.findByClientId("spiffe://td/ns/web");
		assertThat(web.getClientId()).isEqualTo("spiffe://td/ns/web");
		assertThat(web.getScopes()).containsExactly("read");
		assertThat(this.clients.findByClientId("spiffe://td/ns/payments/api").getScopes()).containsExactly("pay");
		assertThat(this.clients.findByClientId("spiffe://td/ns/payments/admin").getScopes()).containsExactly("admin");
		List<String> audiences = this.clients.findByClientId("spiffe://td/ns/payments/api")
			.getClientSettings()
			.getSetting(SpiffeClients.AUDIENCES);
		assertThat(audiences).containsExactly("bank");
	}

	@Test
	void clientsAuthenticateOnlyByCertificateAndGetOnlyBoundTokens() {
		RegisteredClient web = this.clients.findByClientId("spiffe://td/ns/web");
		assertThat(web.getClientAuthenticationMethods()).containsExactly(ClientAuthenticationMethod.TLS_CLIENT_AUTH);
		assertThat(web.getTokenSettings().isX509CertificateBoundAccessTokens()).isTrue();
		assertThat(web.getTokenSettings().getAccessTokenTimeToLive()).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void unconfiguredOrMalformedIdsAreNoClients() {
		assertThat(this.clients.findByClientId("spiffe://td/other/web")).isNull();
		assertThat(this.clients.findByClientId("spiffe://elsewhere/ns/web")).isNull();
		assertThat(this.clients.findByClientId("not a spiffe id")).isNull();
		assertThat(this.clients.findByClientId(null)).isNull();
	}

	@Test
	void prefixMustEndWithASlashSoThatSiblingsDoNotMatch() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AuthzProperties.ClientRule(null, "spiffe://td/ns/pay", List.of(), List.of()))
			.withMessageContaining("must end with '/'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AuthzProperties.ClientRule("spiffe://td/a", "spiffe://td/", List.of(), List.of()))
			.withMessageContaining("exactly one of spiffe-id or spiffe-id-prefix");
	}

}
