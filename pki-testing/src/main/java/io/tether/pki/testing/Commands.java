package io.tether.pki.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an outside tool (openssl, python3, nginx...) to completion for a test, with its
 * output and exit code. A tool that is missing or hangs fails the test with a message
 * that says so; .ci/run installs the tools the tests call.
 */
public final class Commands {

	private Commands() {
	}

	/**
	 * What a command printed (stdout and stderr together) and how it exited.
	 *
	 * @param exitCode the exit code
	 * @param output everything it printed
	 */
	public record Result(int exitCode, String output) {
	}

	/**
	 * Runs a command with no input, for at most 60 seconds.
	 * @param directory the working directory
	 * @param command the command and its arguments
	 * @return its result
	 * @throws AssertionError if the command cannot start or does not finish in time
	 */
	public static Result run(Path directory, String... command) {
		return run(directory, List.of(command));
	}

	/**
	 * Runs a command with no input, for at most 60 seconds.
	 * @param directory the working directory
	 * @param command the command and its arguments
	 * @return its result
	 * @throws AssertionError if the command cannot start or does not finish in time
	 */
	public static Result run(Path directory, List<String> command) {
		try {
			Process process = new ProcessBuilder(command).directory(directory.toFile())
				.redirectErrorStream(true)
				.start();
			process.getOutputStream().close();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new AssertionError(command + " did not finish within 60 s");
			}
			return new Result(process.exitValue(), output);
		}
		catch (IOException ex) {
			throw new AssertionError("Cannot run " + command.get(0) + " (" + ex.getMessage()
					+ "); .ci/run installs it, or install it yourself", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted", ex);
		}
	}

}
