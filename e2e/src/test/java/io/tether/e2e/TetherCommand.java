package io.tether.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code tether} CLI as a process of its own (the built jar), with its stdout, stderr
 * and exit code apart, in a given environment.
 */
final class TetherCommand {

	private final Path workDir;

	private final Map<String, String> environment;

	TetherCommand(Path workDir, Map<String, String> environment) {
		this.workDir = workDir;
		this.environment = environment;
	}

	record Result(int exitCode, String out, String err) {

		@Override
		public String toString() {
			return "exit " + this.exitCode + "\n--- stdout\n" + this.out + "--- stderr\n" + this.err;
		}

	}

	TetherCommand with(Map<String, String> more) {
		Map<String, String> merged = new java.util.HashMap<>(this.environment);
		merged.putAll(more);
		return new TetherCommand(this.workDir, merged);
	}

	Result run(String... args) {
		return runWithInput(null, args);
	}

	/**
	 * Runs a command with {@code input} on its standard input ({@code null}: none).
	 */
	Result runWithInput(String input, String... args) {
		Running running = start(input, args);
		return running.await(Duration.ofSeconds(60));
	}

	/**
	 * Starts a command that runs on while the test does its part (a sign-in in a browser,
	 * say); {@link Running#await} collects it.
	 */
	Running start(String input, String... args) {
		// as bin/tether starts it: C1 only, serial GC, a class-data archive made by the
		// first run
		List<String> command = new ArrayList<>(List.of(System.getProperty("tether.java"), "-XX:TieredStopAtLevel=1",
				"-XX:+UseSerialGC", "-XX:+AutoCreateSharedArchive",
				"-XX:SharedArchiveFile=" + this.workDir.resolve("tether-cli.jsa"), "-Xlog:cds=off",
				"-Xlog:cds+dynamic=off", "-jar", System.getProperty("tether.cli.jar")));
		command.addAll(List.of(args));
		try {
			Path out = Files.createTempFile(this.workDir, "tether-out", ".txt");
			Path err = Files.createTempFile(this.workDir, "tether-err", ".txt");
			ProcessBuilder builder = new ProcessBuilder(command).directory(this.workDir.toFile())
				.redirectOutput(out.toFile())
				.redirectError(err.toFile());
			builder.environment().remove("TETHER_CONFIG");
			builder.environment().putAll(this.environment);
			Process process = builder.start();
			try (OutputStream stdin = process.getOutputStream()) {
				if (input != null) {
					stdin.write(input.getBytes(StandardCharsets.UTF_8));
				}
			}
			return new Running(process, String.join(" ", args), out, err);
		}
		catch (IOException ex) {
			throw new AssertionError("Cannot run tether " + String.join(" ", args), ex);
		}
	}

	/**
	 * A command still running, its output in files.
	 */
	record Running(Process process, String args, Path out, Path err) {

		/** What it has written to stderr so far. */
		String errSoFar() {
			try {
				return Files.readString(this.err, StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new AssertionError(ex);
			}
		}

		Result await(Duration timeout) {
			try {
				if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
					this.process.destroyForcibly();
					throw new AssertionError("tether " + this.args + " did not finish within " + timeout);
				}
				return new Result(this.process.exitValue(), Files.readString(this.out, StandardCharsets.UTF_8),
						Files.readString(this.err, StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				throw new AssertionError("Cannot read the output of tether " + this.args, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("interrupted");
			}
		}

	}

}
