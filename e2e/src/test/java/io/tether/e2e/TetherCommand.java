package io.tether.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
			process.getOutputStream().close();
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new AssertionError("tether " + String.join(" ", args) + " did not finish within 60 s");
			}
			return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
					Files.readString(err, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new AssertionError("Cannot run tether " + String.join(" ", args), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted");
		}
	}

}
