package io.tether.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operators through the {@code tether} CLI against a real server, as processes: an admin
 * adds an operator, the operator logs in on "its machine" (a directory of its own), works
 * within its role, renews by itself, and is locked out once revoked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorCliIT {

	private Path work;

	private TetherServer server;

	private TetherCommand admin;

	@BeforeAll
	void startServer() throws IOException {
		this.work = Files.createTempDirectory("tether-operator-e2e");
		// short operator certificates, so that renewal at half of their life is seen
		this.server = new TetherServer(this.work.resolve("server"), RunningProcess.freePort())
			.with("--tether.operators.certificate-ttl=PT40S")
			.start();
		this.admin = new TetherCommand(this.work,
				Map.of("TETHER_CONFIG", this.server.adminDir().resolve("config.yaml").toString()));
	}

	@AfterAll
	void stopServer() {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void anOperatorLogsInWorksWithinItsRoleRenewsAndIsLockedOutOnceRevoked() throws IOException {
		TetherCommand.Result added = this.admin.run("operator", "add", "alice", "--role", "operator");
		assertThat(added.exitCode()).as(added.toString()).isZero();
		String token = added.out().strip();
		assertThat(token).startsWith("to1.alice.").doesNotContain("\n");

		Path home = this.work.resolve("alice");
		TetherCommand alice = new TetherCommand(this.work, Map.of("HOME", home.toString()));
		TetherCommand.Result login = alice.run("login", "--server", this.server.url(), "--token", token);
		assertThat(login.exitCode()).as(login.toString()).isZero();
		assertThat(login.out()).contains("logged in as alice (role operator");
		Path dir = home.resolve(".config/tether");
		assertThat(Files.getPosixFilePermissions(dir.resolve("operator-key.pem")))
			.isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
		assertThat(dir.resolve("config.yaml")).exists();

		// the token enrolled once
		TetherCommand.Result again = new TetherCommand(this.work,
				Map.of("HOME", this.work.resolve("mallory").toString()))
			.run("login", "--server", this.server.url(), "--token", token);
		assertThat(again.exitCode()).as(again.toString()).isEqualTo(4);
		assertThat(again.err()).startsWith("tether: ").contains("invalid-enrollment-token");

		// within its role, with ~/.config/tether/config.yaml found by itself
		TetherCommand.Result joinToken = alice.run("token", "create", "--agent", "host-by-alice");
		assertThat(joinToken.exitCode()).as(joinToken.toString()).isZero();
		TetherCommand.Result forbidden = alice.run("operator", "add", "bob", "--role", "auditor");
		assertThat(forbidden.exitCode()).as(forbidden.toString()).isEqualTo(4);
		assertThat(forbidden.err()).startsWith("tether: ").contains("forbidden-role").contains("ask an admin");

		TetherCommand.Result audit = this.admin.run("audit", "list", "--action", "join-token.created", "-o", "json");
		assertThat(audit.exitCode()).as(audit.toString()).isZero();
		assertThat(audit.out()).contains("\"actor\" : \"alice\"");

		// any command renews the certificate once half of its life is gone
		String first = Files.readString(dir.resolve("operator-cert.pem"));
		RunningProcess.await("alice's certificate renewed by a command", Duration.ofSeconds(60), () -> {
			TetherCommand.Result status = alice.run("status");
			assertThat(status.exitCode()).as(status.toString()).isZero();
			return !read(dir.resolve("operator-cert.pem")).equals(first);
		});
		TetherCommand.Result renewed = alice.run("operator", "renew");
		assertThat(renewed.exitCode()).as(renewed.toString()).isZero();

		// a new machine, or a lost key: a new token, and the login replaces what was
		// there
		TetherCommand.Result retoken = this.admin.run("operator", "token", "alice");
		assertThat(retoken.exitCode()).as(retoken.toString()).isZero();
		String second = retoken.out().strip();
		TetherCommand.Result kept = alice.run("login", "--server", this.server.url(), "--token", second);
		assertThat(kept.exitCode()).as(kept.toString()).isEqualTo(2);
		assertThat(kept.err()).contains("pass --force");
		TetherCommand.Result relogin = alice.run("login", "--server", this.server.url(), "--token", second, "--force");
		assertThat(relogin.exitCode()).as(relogin.toString()).isZero();
		assertThat(alice.run("status").exitCode()).isZero();

		TetherCommand.Result listed = this.admin.run("operator", "list");
		assertThat(listed.exitCode()).as(listed.toString()).isZero();
		assertThat(listed.out()).contains("alice").contains("operator").contains("active");

		TetherCommand.Result revoked = this.admin.run("operator", "revoke", "alice");
		assertThat(revoked.exitCode()).as(revoked.toString()).isZero();
		assertThat(revoked.out()).startsWith("revoked operator alice and ");
		TetherCommand.Result refused = alice.run("status");
		assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(4);
		assertThat(refused.err()).contains("operator-revoked");
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
