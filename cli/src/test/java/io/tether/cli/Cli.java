package io.tether.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Runs {@code tether} in this JVM with a given environment, for unit tests.
 */
final class Cli {

	private Cli() {
	}

	record Run(int exitCode, String out, String err) {
	}

	static Run run(Map<String, String> environment, String... args) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int exitCode = TetherCli.execute(args, environment, new PrintWriter(out), new PrintWriter(err));
		return new Run(exitCode, out.toString(), err.toString());
	}

	static Run runWithInput(String input, Map<String, String> environment, String... args) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int exitCode = TetherCli.execute(args, environment,
				new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), new PrintWriter(out),
				new PrintWriter(err));
		return new Run(exitCode, out.toString(), err.toString());
	}

	static Run run(String... args) {
		return run(Map.of(), args);
	}

}
