package io.tether.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hooks as real processes: a command, a command past its timeout, a signal to the pid in
 * a pid file.
 */
class HooksTest {

	@TempDir
	Path dir;

	private final ByteArrayOutputStream log = new ByteArrayOutputStream();

	private PrintStream logBefore;

	@BeforeEach
	void captureLog() {
		this.logBefore = Log.redirect(new PrintStream(this.log, true, StandardCharsets.UTF_8));
	}

	@AfterEach
	void restoreLog() {
		Log.redirect(this.logBefore);
	}

	@Test
	void aCommandRunsToItsEndAndIsLogged() {
		Path marker = this.dir.resolve("reloaded");

		Hooks.run(command(Duration.ofSeconds(10), "touch", marker.toString()), "spiffe://td.example/ns/web");

		assertThat(marker).exists();
		assertThat(log()).contains("hook ran workload=spiffe://td.example/ns/web command=[touch, " + marker + "]");
	}

	@Test
	void aCommandThatFailsIsReportedWithItsExitCode() {
		Hooks.run(command(Duration.ofSeconds(10), "sh", "-c", "exit 3"), "spiffe://td.example/ns/web");

		assertThat(log()).contains("WARN hook failed workload=spiffe://td.example/ns/web").contains("exit=3");
	}

	@Test
	void aCommandPastItsTimeoutIsKilledAndReported() {
		Path pidFile = this.dir.resolve("hook.pid");
		Instant started = Instant.now();

		Hooks.run(command(Duration.ofMillis(500), "sh", "-c", "echo $$ > " + pidFile + "; exec sleep 60"),
				"spiffe://td.example/ns/web");

		assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(30));
		assertThat(log()).contains("hook timed out workload=spiffe://td.example/ns/web").contains("timeout=PT0.5S");
		ProcessHandle.of(pid(pidFile)).ifPresent((process) -> {
			// killed: it may take a moment to be reaped
			assertThat(process.onExit().orTimeout(10, TimeUnit.SECONDS).join().isAlive()).isFalse();
		});
	}

	@Test
	void aSignalGoesToThePidInThePidFile() throws Exception {
		Path pidFile = this.dir.resolve("workload.pid");
		Path marker = this.dir.resolve("got-hup");
		// a workload that writes its pid, then waits for SIGHUP and says it got it
		Process workload = new ProcessBuilder("sh", "-c",
				"trap 'touch " + marker + "; exit 0' HUP; echo $$ > " + pidFile + "; while :; do sleep 0.1; done")
			.start();
		try {
			awaitFile(pidFile);

			Hooks.run(new AgentConfig.Hook(null, Duration.ofSeconds(10), "HUP", pidFile), "spiffe://td.example/ns/web");

			assertThat(workload.waitFor(10, TimeUnit.SECONDS)).as("the workload exited on SIGHUP").isTrue();
			assertThat(marker).exists();
			assertThat(log()).contains("hook ran workload=spiffe://td.example/ns/web command=[kill, -s, HUP, "
					+ Files.readString(pidFile).strip() + "]");
		}
		finally {
			workload.destroyForcibly();
		}
	}

	@Test
	void aPidFileThatIsMissingOrHoldsNoPidSkipsTheHookWithTheReason() throws IOException {
		Path missing = this.dir.resolve("missing.pid");
		Path garbage = this.dir.resolve("garbage.pid");
		Files.writeString(garbage, "not a pid\n");

		Hooks.run(new AgentConfig.Hook(null, Duration.ofSeconds(10), "HUP", missing), "w1");
		Hooks.run(new AgentConfig.Hook(null, Duration.ofSeconds(10), "HUP", garbage), "w2");

		assertThat(log()).contains("hook skipped workload=w1 reason=\"cannot read pid file " + missing)
			.contains("hook skipped workload=w2 reason=\"pid file " + garbage + " holds no pid\"");
	}

	private static AgentConfig.Hook command(Duration timeout, String... command) {
		return new AgentConfig.Hook(List.of(command), timeout, null, null);
	}

	private static long pid(Path pidFile) {
		try {
			return Long.parseLong(Files.readString(pidFile).strip());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static void awaitFile(Path file) throws InterruptedException {
		// a real process: wait for it with a deadline
		Instant deadline = Instant.now().plusSeconds(10);
		while (!(Files.exists(file) && file.toFile().length() > 0)) {
			assertThat(Instant.now()).as("waiting for " + file).isBefore(deadline);
			Thread.sleep(20);
		}
	}

	private String log() {
		return this.log.toString(StandardCharsets.UTF_8);
	}

}
