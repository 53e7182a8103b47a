package io.tether.authz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-command default: H2 in a file under the data directory, with a KEK generated
 * next to it, and a restart that keeps every token good.
 */
class EmbeddedDatabaseIT {

	@TempDir
	Path dir;

	@Test
	void tokenStaysValidAcrossARestart() throws Exception {
		Path data = this.dir.resolve("data");
		try (AuthzFixture fixture = new AuthzFixture(this.dir)) {
			ConfigurableApplicationContext first = fixture.start(null, "--tether.authz.data-dir=" + data);
			String token = fixture.token(first);
			String revoked = fixture.token(first);
			fixture.revoke(first, revoked);
			first.close();
			assertThat(data.resolve("kek")).exists();
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("kek"))))
				.isEqualTo("rw-------");

			ConfigurableApplicationContext second = fixture.start(null, "--tether.authz.data-dir=" + data);
			assertThat(fixture.introspect(second, token).get("active").asBoolean()).isTrue();
			assertThat(fixture.verifies(second, token)).isTrue();
			assertThat(fixture.introspect(second, revoked).get("active").asBoolean()).isFalse();
			assertThat(fixture.introspect(second, SharedDatabaseIT.tamper(token)).get("active").asBoolean()).isFalse();
		}
	}

}
