package io.tether.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs tools we did not write (openssl, python3-cryptography) to judge our certificates.
 * A missing tool fails the test: .ci/run installs them.
 */
final class ExternalTools {

	private ExternalTools() {
	}

	record Result(int exitCode, String output) {
	}

	static Result openssl(Path workingDirectory, String... arguments) {
		List<String> command = new ArrayList<>();
		command.add("openssl");
		command.addAll(List.of(arguments));
		return run(workingDirectory, command);
	}

	/**
	 * Python with the cryptography package: {@code TETHER_PYTHON} if set, else
	 * {@code python3}.
	 */
	static Result python(Path workingDirectory, String... arguments) {
		String python = System.getenv().getOrDefault("TETHER_PYTHON", "python3");
		List<String> command = new ArrayList<>();
		command.add(python);
		command.addAll(List.of(arguments));
		return run(workingDirectory, command);
	}

	private static Result run(Path workingDirectory, List<String> command) {
		try {
			Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
				.redirectErrorStream(true)
				.start();
			process.getOutputStream().close();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(command + " did not finish within 60 s");
			}
			return new Result(process.exitValue(), output);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run " + command.get(0) + " (" + ex.getMessage()
					+ "); .ci/run installs it, or install it yourself", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
