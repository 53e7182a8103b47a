package io.tether.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.Callable;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "password-hash", mixinStandardHelpOptions = true,
		description = { "Prints the bcrypt hash of a password, in the {bcrypt}... form that "
				+ "tether.authz.users[].password takes: the authorization server never holds a password itself.",
				"Asks twice at a terminal; else reads one line from standard input. No server needed." },
		footer = { "", "Example:", "  tether password-hash            # at a terminal",
				"  printf '%s\\n' \"$PASSWORD\" | tether password-hash" })
class PasswordHashCommand implements Callable<Integer> {

	private static final SecureRandom RANDOM = new SecureRandom();

	@Spec
	CommandSpec spec;

	@Option(names = "--cost", paramLabel = "N", defaultValue = "12",
			description = "bcrypt's work factor, 2^N rounds, 10 to 16 (default: ${DEFAULT-VALUE})")
	int cost;

	@Override
	public Integer call() {
		if (this.cost < 10 || this.cost > 16) {
			throw new CliException(ExitCode.USAGE, "--cost must be 10 to 16, not " + this.cost);
		}
		char[] password = read();
		try {
			if (password.length == 0) {
				throw new CliException(ExitCode.USAGE, "The password is empty");
			}
			if (new String(password).getBytes(StandardCharsets.UTF_8).length > 72) {
				throw new CliException(ExitCode.USAGE,
						"The password is longer than 72 bytes, which bcrypt would silently cut: use a shorter one");
			}
			byte[] salt = new byte[16];
			RANDOM.nextBytes(salt);
			this.spec.commandLine()
				.getOut()
				.println("{bcrypt}" + OpenBSDBCrypt.generate("2b", password, salt, this.cost));
			this.spec.commandLine().getOut().flush();
			return ExitCode.OK;
		}
		finally {
			Arrays.fill(password, '\0');
		}
	}

	private char[] read() {
		Console console = System.console();
		if (console != null && TetherCli.input(this.spec) == System.in) {
			char[] first = console.readPassword("Password: ");
			char[] second = console.readPassword("Again: ");
			if (first == null || second == null || !Arrays.equals(first, second)) {
				throw new CliException(ExitCode.USAGE, "The two passwords differ");
			}
			Arrays.fill(second, '\0');
			return first;
		}
		try {
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(TetherCli.input(this.spec), StandardCharsets.UTF_8));
			String line = reader.readLine();
			if (line == null) {
				throw new CliException(ExitCode.USAGE, "No password on standard input");
			}
			return line.toCharArray();
		}
		catch (IOException ex) {
			throw new CliException(ExitCode.FAILED, "Cannot read standard input (" + ex + ")");
		}
	}

}
