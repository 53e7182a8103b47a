package io.tether.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs outside tools to completion. A missing tool fails the test; .ci/run installs them.
 */
final class Tools {

	private Tools() {
	}

	record Result(int exitCode, String output) {
	}

	static Result run(Path directory, String... command) {
		return run(directory, List.of(command));
	}

	static Result run(Path directory, List<String> command) {
		try {
			Process process = new ProcessBuilder(new ArrayList<>(command)).directory(directory.toFile())
				.redirectErrorStream(true)
				.start();
			process.getOutputStream().close();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new AssertionError(command + " did not finish in 60 s");
			}
			return new Result(process.exitValue(), output);
		}
		catch (IOException ex) {
			throw new AssertionError("Cannot run " + command.get(0) + ": " + ex.getMessage()
					+ " (.ci/run installs it: apt-get install openssl nginx)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted");
		}
	}

}
