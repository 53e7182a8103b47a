package io.tether.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.tether.pki.testing.LocalPorts;

/**
 * A real process with its output in a log file, and waits with deadlines (never bare
 * sleeps) on what it prints.
 */
final class RunningProcess implements AutoCloseable {

	private final Process process;

	private final Path log;

	private RunningProcess(Process process, Path log) {
		this.process = process;
		this.log = log;
	}

	static RunningProcess start(List<String> command, Path log) {
		return start(command, Map.of(), log);
	}

	/**
	 * @param environment added to this JVM's environment
	 */
	static RunningProcess start(List<String> command, Map<String, String> environment, Path log) {
		try {
			Files.createDirectories(log.toAbsolutePath().getParent());
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
			builder.environment().putAll(environment);
			Process process = builder.start();
			process.getOutputStream().close();
			return new RunningProcess(process, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + command, ex);
		}
	}

	String log() {
		try {
			return Files.exists(this.log) ? Files.readString(this.log) : "";
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	long count(String text) {
		return log().lines().filter((line) -> line.contains(text)).count();
	}

	void awaitLog(String text, Duration timeout) {
		await("'" + text + "' in " + this.log, timeout, () -> {
			if (!this.process.isAlive() && !log().contains(text)) {
				throw new AssertionError(
						"process exited (" + this.process.exitValue() + ") before printing '" + text + "':\n" + log());
			}
			return log().contains(text);
		});
	}

	static void await(String what, Duration timeout, BooleanSupplier condition) {
		Instant deadline = Instant.now().plus(timeout);
		while (!condition.getAsBoolean()) {
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
			}
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("interrupted");
			}
		}
	}

	int awaitExit(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError("process still running after " + timeout + ":\n" + log());
			}
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted");
		}
	}

	/**
	 * @return the operating system's id of the process
	 */
	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	static int freePort() {
		return LocalPorts.free();
	}

	/**
	 * Kills the process with SIGKILL, as a crash or the OOM killer would: no shutdown
	 * hook runs.
	 */
	void kill() {
		try {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(15, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
