package io.tether.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CliConfigTest {

	private static final String VALID = """
			server: https://ca.internal:8443/
			bundle: ca-bundle.pem
			certificate: admin-cert.pem
			key: /etc/tether/admin-key.pem
			""";

	@TempDir
	Path directory;

	@Test
	void loadResolvesRelativePathsAgainstTheFile() throws Exception {
		Path file = write("config.yaml", VALID);
		CliConfig config = CliConfig.load(file);
		assertThat(config.server()).isEqualTo(URI.create("https://ca.internal:8443"));
		assertThat(config.bundle()).isEqualTo(this.directory.resolve("ca-bundle.pem"));
		assertThat(config.certificate()).isEqualTo(this.directory.resolve("admin-cert.pem"));
		assertThat(config.key()).isEqualTo(Path.of("/etc/tether/admin-key.pem"));
	}

	@Test
	void resolvePrefersOptionThenVariableThenHome() throws Exception {
		Path option = write("option.yaml", VALID.replace("ca.internal", "option.internal"));
		Path variable = write("variable.yaml", VALID.replace("ca.internal", "variable.internal"));
		Path home = this.directory.resolve("home");
		Files.createDirectories(home.resolve(".config/tether"));
		Files.writeString(home.resolve(".config/tether/config.yaml"), VALID.replace("ca.internal", "home.internal"));
		Map<String, String> both = Map.of("TETHER_CONFIG", variable.toString(), "HOME", home.toString());
		assertThat(CliConfig.resolve(option, both).server().getHost()).isEqualTo("option.internal");
		assertThat(CliConfig.resolve(null, both).server().getHost()).isEqualTo("variable.internal");
		assertThat(CliConfig.resolve(null, Map.of("HOME", home.toString())).server().getHost())
			.isEqualTo("home.internal");
	}

	@Test
	void resolveWithoutAnyConfigurationSaysWhereToPutOne() {
		assertThatExceptionOfType(CliException.class)
			.isThrownBy(() -> CliConfig.resolve(null, Map.of("HOME", this.directory.toString())))
			.satisfies((ex) -> assertThat(ex.exitCode()).isEqualTo(ExitCode.USAGE))
			.withMessageContaining("--config FILE")
			.withMessageContaining("TETHER_CONFIG")
			.withMessageContaining(this.directory.resolve(".config/tether/config.yaml").toString());
	}

	@Test
	void loadWithUnknownKeyNamesIt() throws Exception {
		Path file = write("config.yaml", VALID + "insecure: true\n");
		assertThatExceptionOfType(CliException.class).isThrownBy(() -> CliConfig.load(file))
			.withMessage(file + ": unknown key 'insecure' (known: [server, bundle, certificate, key])");
	}

	@Test
	void loadWithMissingKeyNamesIt() throws Exception {
		Path file = write("config.yaml", VALID.replace("key: /etc/tether/admin-key.pem\n", ""));
		assertThatExceptionOfType(CliException.class).isThrownBy(() -> CliConfig.load(file))
			.withMessage(file + ": key: missing");
	}

	@Test
	void loadWithPlainHttpServerIsRefused() throws Exception {
		Path file = write("config.yaml", VALID.replace("https://", "http://"));
		assertThatExceptionOfType(CliException.class).isThrownBy(() -> CliConfig.load(file))
			.withMessageContaining("server: must be an https:// URL");
	}

	@Test
	void loadWithInvalidYamlSaysSo() throws Exception {
		Path file = write("config.yaml", "server: [unclosed\n");
		assertThatExceptionOfType(CliException.class).isThrownBy(() -> CliConfig.load(file))
			.withMessageStartingWith(file + ": not valid YAML");
	}

	@Test
	void loadOfMissingFileIsUsageError() {
		assertThatExceptionOfType(CliException.class)
			.isThrownBy(() -> CliConfig.load(this.directory.resolve("absent.yaml")))
			.satisfies((ex) -> assertThat(ex.exitCode()).isEqualTo(ExitCode.USAGE))
			.withMessageContaining("Cannot read the configuration");
	}

	private Path write(String name, String content) throws Exception {
		Path file = this.directory.resolve(name);
		Files.writeString(file, content);
		return file;
	}

}
