package io.tether.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A real process with its output in a log file, and waits with deadlines (never bare
 * sleeps) on what it prints.
 */
final class RunningProcess implements AutoCloseable {

	private static final int FIRST_PORT = 10000;

	private static final int FIRST_EPHEMERAL_PORT = firstEphemeralPort();

	private static final int PORTS_BELOW_EPHEMERAL = FIRST_EPHEMERAL_PORT - FIRST_PORT;

	/**
	 * Starts at a random place so that two test JVMs in a row do not reuse each other's
	 * ports.
	 */
	private static final AtomicInteger nextPort = new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 20));

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

	/**
	 * A port for a process this test starts, chosen below the kernel's ephemeral range
	 * and never handed out twice in this JVM. A port from {@code new ServerSocket(0)}
	 * comes from the ephemeral range, where the kernel also picks the local port of every
	 * outgoing connection: between the moment it is closed here and the moment the
	 * process binds it, one of the many connections the running servers open may take it
	 * ("Port ... was already in use").
	 */
	static int freePort() {
		for (int attempt = 0; attempt < PORTS_BELOW_EPHEMERAL; attempt++) {
			int port = FIRST_PORT + Math.floorMod(nextPort.getAndIncrement(), PORTS_BELOW_EPHEMERAL);
			try {
				new ServerSocket(port).close();
				return port;
			}
			catch (IOException ex) {
				// taken by something else on this machine: try the next one
			}
		}
		throw new IllegalStateException("no free port between " + FIRST_PORT + " and " + (FIRST_EPHEMERAL_PORT - 1));
	}

	private static int firstEphemeralPort() {
		try {
			String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
			int first = Integer.parseInt(range.split("\\s+")[0]);
			return (first > FIRST_PORT + 1000) ? first : 32768;
		}
		catch (IOException | RuntimeException ex) {
			return 32768; // Linux's default; elsewhere the range starts higher still
		}
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
