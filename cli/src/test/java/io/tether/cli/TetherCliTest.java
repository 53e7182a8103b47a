package io.tether.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

class TetherCliTest {

	@Test
	void everyCommandHasHelpWithAnExample() {
		List<CommandLine> commands = new ArrayList<>();
		collect(TetherCli.commandLine(Map.of()), commands);
		assertThat(commands).extracting((command) -> command.getCommandSpec().qualifiedName())
			.contains("tether status", "tether ca show", "tether ca rotate", "tether admin renew", "tether bundle show",
					"tether token create", "tether token get", "tether token proof", "tether agent list",
					"tether agent show", "tether agent evict", "tether entry create", "tether entry list",
					"tether entry delete", "tether cert list", "tether cert show", "tether cert issue",
					"tether cert revoke", "tether audit list", "tether audit verify", "tether audit export",
					"tether inspect", "tether thumbprint", "tether password-hash", "tether completion");
		for (CommandLine command : commands) {
			String name = command.getCommandSpec().qualifiedName();
			if (name.equals("tether help")) {
				continue;
			}
			String[] args = (name.replaceFirst("^tether ?", "") + " --help").strip().split(" ");
			Cli.Run run = Cli.run(args);
			assertThat(run.exitCode()).as(name).isZero();
			assertThat(run.out()).as(name).startsWith("Usage: " + name).contains("Example:");
		}
	}

	private static void collect(CommandLine command, List<CommandLine> into) {
		into.add(command);
		command.getSubcommands().values().forEach((sub) -> collect(sub, into));
	}

	@Test
	void unknownOptionIsUsageErrorOnOneLineThatPointsToHelp() {
		Cli.Run run = Cli.run("entry", "list", "--bogus");
		assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
		assertThat(run.err())
			.isEqualTo("tether: Unknown option: '--bogus'; see 'tether entry list --help'" + System.lineSeparator());
		assertThat(run.out()).isEmpty();
	}

	@Test
	void missingRequiredOptionIsUsageError() {
		Cli.Run run = Cli.run("token", "create");
		assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
		assertThat(run.err()).contains("Missing required option: '--agent=NAME'").hasLineCount(1);
	}

	@Test
	void unknownOutputFormatIsUsageError() {
		Cli.Run run = Cli.run("status", "-o", "yaml");
		assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
		assertThat(run.err()).contains("-o").hasLineCount(1);
	}

	@Test
	void pemOutputWhereNotAvailableIsUsageErrorBeforeAnyRequest(
			@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
		// a usable configuration naming a server that is not there: a request would be
		// exit 5
		var issued = io.tether.pki.testing.TestPki.root()
			.leaf(io.tether.pki.KeyType.EC_P256, java.time.Duration.ofDays(90), "spiffe://example.org/tether/admin");
		java.nio.file.Files.writeString(dir.resolve("key.pem"), io.tether.pki.Pem.write(issued.keys().getPrivate()));
		java.nio.file.Files.writeString(dir.resolve("cert.pem"), io.tether.pki.Pem.write(issued.chain()));
		java.nio.file.Files.writeString(dir.resolve("bundle.pem"), io.tether.pki.Pem.write(issued.certificate()));
		java.nio.file.Files.writeString(dir.resolve("config.yaml"),
				"server: https://localhost:1\nbundle: bundle.pem\ncertificate: cert.pem\nkey: key.pem\n");
		Cli.Run run = Cli.run(Map.of("TETHER_CONFIG", dir.resolve("config.yaml").toString()), "agent", "list", "-o",
				"pem");
		assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
		assertThat(run.err()).contains("'-o pem' is not available here").hasLineCount(1);
		for (String command : List.of("ca show", "cert show 0a", "entry list")) {
			List<String> args = new ArrayList<>(List.of(command.split(" ")));
			args.addAll(List.of("-o", "spiffe"));
			Cli.Run spiffe = Cli.run(Map.of("TETHER_CONFIG", dir.resolve("config.yaml").toString()),
					args.toArray(String[]::new));
			assertThat(spiffe.exitCode()).as(command).isEqualTo(ExitCode.USAGE);
			assertThat(spiffe.err()).as(command).contains("'-o spiffe' is not available here").hasLineCount(1);
		}
	}

	@Test
	void noCommandPrintsUsageAndExitsTwo() {
		Cli.Run run = Cli.run();
		assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
		assertThat(run.err()).contains("Usage: tether", "Exit codes");
	}

	@Test
	void nounWithoutVerbListsVerbsAndExitsTwo() {
		Cli.Run run = Cli.run("entry");
		assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
		assertThat(run.err()).contains("'tether entry' needs a command", "create", "list", "delete");
	}

	@Test
	void apiCommandWithoutConfigurationSaysHowToProvideOne() {
		Cli.Run run = Cli.run(Map.of("HOME", "/nonexistent"), "status");
		assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
		assertThat(run.err()).startsWith("tether: No configuration: pass --config FILE").hasLineCount(1);
	}

	@Test
	void configurationNamingAFileWithoutACertificateIsUsageError(
			@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
		var issued = io.tether.pki.testing.TestPki.root()
			.leaf(io.tether.pki.KeyType.EC_P256, java.time.Duration.ofDays(90), "spiffe://example.org/tether/admin");
		java.nio.file.Files.writeString(dir.resolve("key.pem"), io.tether.pki.Pem.write(issued.keys().getPrivate()));
		java.nio.file.Files.writeString(dir.resolve("bundle.pem"), io.tether.pki.Pem.write(issued.certificate()));
		java.nio.file.Files.writeString(dir.resolve("config.yaml"),
				"server: https://localhost:1\nbundle: bundle.pem\ncertificate: key.pem\nkey: key.pem\n");
		Cli.Run run = Cli.run(Map.of("TETHER_CONFIG", dir.resolve("config.yaml").toString()), "status");
		assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
		assertThat(run.err()).startsWith("tether: ").contains("key.pem").hasLineCount(1);
	}

	@Test
	void completionScriptCompletesCommandsAndVerbs() {
		Cli.Run run = Cli.run("completion");
		assertThat(run.exitCode()).isZero();
		assertThat(run.out()).contains("complete -F", "tether", "entry", "thumbprint", "--expiring-within");
	}

	@Test
	void versionIsPrinted() {
		Cli.Run run = Cli.run("--version");
		assertThat(run.exitCode()).isZero();
		assertThat(run.out()).startsWith("tether ");
	}

}
