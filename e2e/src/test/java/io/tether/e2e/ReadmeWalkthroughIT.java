package io.tether.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tether.pki.Pem;
import io.tether.pki.Thumbprints;
import io.tether.pki.testing.Commands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the README's walk-through block as written, with bash, in a directory laid out
 * like a checkout after {@code bin/tether-server}: {@code bin/} and {@code data/}. Only
 * the server's port differs (a free one instead of 8443).
 */
class ReadmeWalkthroughIT {

	private static final String MARKER = "<!-- walkthrough:";

	@TempDir
	Path directory;

	private TetherServer server;

	private Process walk;

	@AfterEach
	void stop() throws IOException {
		if (this.walk != null) {
			this.walk.destroyForcibly();
		}
		Path pid = this.directory.resolve("agent.pid");
		if (Files.exists(pid)) {
			ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroyForcibly);
		}
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void readmeWalkthroughRunsFromServerStartToAnAgentFedWorkload() throws Exception {
		Path repository = Path.of(System.getProperty("tether.repository")).toRealPath();
		String block = walkthrough(Files.readString(repository.resolve("README.md")));
		this.server = new TetherServer(this.directory.resolve("data"), RunningProcess.freePort(), "tether.internal")
			.start();
		Files.createSymbolicLink(this.directory.resolve("bin"), repository.resolve("bin"));
		Path script = this.directory.resolve("walkthrough.sh");
		Files.writeString(script, "set -euo pipefail\n" + block.replace("https://localhost:8443", this.server.url()));

		Path output = this.directory.resolve("walkthrough.log");
		ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).directory(this.directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile());
		builder.environment().remove("TETHER_CONFIG");
		builder.environment()
			.put("JAVA_HOME", Path.of(System.getProperty("tether.java")).getParent().getParent().toString());
		this.walk = builder.start();
		boolean finished = this.walk.waitFor(180, TimeUnit.SECONDS);
		String log = Files.readString(output, StandardCharsets.UTF_8);
		assertThat(finished).as("walk-through finished within 180 s:\n" + log).isTrue();
		assertThat(this.walk.exitValue()).as(log).isZero();

		assertThat(log).contains(this.server.url() + " (reachable", "host-1", "active",
				"spiffe://tether.internal/ns/web", "chain verifies against web/bundle.pem");
		Path certificate = this.directory.resolve("web/cert.pem");
		List<X509Certificate> chain = Pem.readCertificates(Files.readString(certificate));
		assertThat(log).contains(Thumbprints.x5tS256(chain.get(0)));
		Commands.Result verify = Commands.run(this.directory, "openssl", "verify", "-CAfile", "web/bundle.pem",
				"-untrusted", "web/cert.pem", "web/cert.pem");
		assertThat(verify.exitCode()).as(verify.output()).isZero();
		long agentPid = Long.parseLong(Files.readString(this.directory.resolve("agent.pid")).strip());
		RunningProcess.await("the agent stopped by the walk-through's last line", java.time.Duration.ofSeconds(20),
				() -> ProcessHandle.of(agentPid).map((handle) -> !handle.isAlive()).orElse(true));
	}

	/** The shell block that follows the walk-through marker. */
	static String walkthrough(String readme) {
		int marker = readme.indexOf(MARKER);
		assertThat(marker).as("README has a '" + MARKER + "' marker").isNotNegative();
		int start = readme.indexOf("```sh\n", marker) + "```sh\n".length();
		int end = readme.indexOf("```", start);
		return readme.substring(start, end);
	}

}
