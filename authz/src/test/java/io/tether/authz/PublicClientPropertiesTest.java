package io.tether.authz;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What {@code tether.authz.public-clients} and {@code tether.authz.users} refuse at
 * start, each with the setting to fix.
 */
class PublicClientPropertiesTest {

	private static final String HASH = "{bcrypt}$2b$12$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0";

	private static AuthzProperties properties(List<AuthzProperties.PublicClient> clients,
			List<AuthzProperties.User> users) {
		return new AuthzProperties(URI.create("https://authz.test"), URI.create("https://ca.test"),
				new AuthzProperties.Credentials(Path.of("c"), Path.of("k"), Path.of("b")), Duration.ofMinutes(5),
				Duration.ofSeconds(30), Duration.ofHours(24), List.of(), Path.of("data"), null, null,
				Duration.ofSeconds(10), clients, users);
	}

	private static AuthzProperties.PublicClient client(String id, String redirectUri) {
		return new AuthzProperties.PublicClient(id, List.of(redirectUri), List.of("read"), List.of(), null);
	}

	@Test
	void aPasswordMustBeAHashNeverPlainText() {
		assertThatIllegalArgumentException().isThrownBy(() -> new AuthzProperties.User("alice", "secret", List.of()))
			.withMessageContaining("tether password-hash");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AuthzProperties.User("alice", "{noop}secret", List.of()))
			.withMessageContaining("must be a hash");
		assertThat(new AuthzProperties.User("alice", HASH, List.of()).toString()).doesNotContain("$2b$");
	}

	@Test
	void namesCanNeverBeTakenForASpiffeId() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AuthzProperties.User("spiffe://td/ns/payments", HASH, List.of()))
			.withMessageContaining("never a SPIFFE ID");
		assertThatIllegalArgumentException().isThrownBy(() -> client("spiffe://td/cli", "http://127.0.0.1/cb"))
			.withMessageContaining("never a SPIFFE ID");
		assertThatIllegalArgumentException().isThrownBy(() -> new AuthzProperties.User("al ice", HASH, List.of()));
	}

	@Test
	void theSignInReturnsOnlyToLoopbackOrHttps() {
		assertThat(client("cli", "http://127.0.0.1/callback").redirectUris()).hasSize(1);
		assertThat(client("cli", "http://[::1]/callback").redirectUris()).hasSize(1);
		assertThat(client("app", "https://app.example/callback").redirectUris()).hasSize(1);
		assertThatIllegalArgumentException().isThrownBy(() -> client("cli", "http://localhost/callback"))
			.withMessageContaining("http://127.0.0.1/");
		assertThatIllegalArgumentException().isThrownBy(() -> client("cli", "http://app.example/callback"));
		assertThatIllegalArgumentException().isThrownBy(() -> client("cli", "https://app.example/cb#frag"));
	}

	@Test
	void publicClientsNeedPeopleAndUniqueNames() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> properties(List.of(client("cli", "http://127.0.0.1/cb")), List.of()))
			.withMessageContaining("tether.authz.users");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> properties(List.of(client("cli", "http://127.0.0.1/cb")),
					List.of(new AuthzProperties.User("alice", HASH, List.of()),
							new AuthzProperties.User("alice", HASH, List.of()))))
			.withMessageContaining("the same one twice");
	}

}
