package io.tether.agent;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.tether.pki.Thumbprints;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class TetherAgentTest {

	@TempDir
	Path dir;

	@Test
	void statusBeforeTheAgentEverRanSaysSoAndExitsWithNotFound() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exit = TetherAgent.status(config(), print(out), print(err));
		assertThat(exit).isEqualTo(3);
		assertThat(err.toString(StandardCharsets.UTF_8)).contains("the agent has not run yet");
		assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
	}

	@Test
	void statusListsEachCertificateWithItsTimeLeft() {
		TestPki.Issued leaf = TestPki.root().intermediate().leaf("spiffe://td.example/ns/web");
		Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
		AgentStatus status = new AgentStatus(this.dir, clock);
		status.record("spiffe://td.example/ns/web", leaf.certificate(), clock.instant().plus(Duration.ofMinutes(20)), 1,
				"server unreachable");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int exit = TetherAgent.status(config(), print(out), print(new ByteArrayOutputStream()));
		assertThat(exit).isZero();
		assertThat(out.toString(StandardCharsets.UTF_8)).contains("spiffe://td.example/ns/web")
			.contains("server unreachable")
			.containsPattern("(59m|1h0m|60m)")
			.contains(" " + clock.instant().plus(Duration.ofMinutes(20)).truncatedTo(ChronoUnit.SECONDS) + " ");
		assertThat(status.metrics())
			.contains("tether_agent_certificate_not_after_seconds{name=\"spiffe://td.example/ns/web\"")
			.contains("tether_agent_renewal_consecutive_failures{name=\"spiffe://td.example/ns/web\"} 1");
	}

	@Test
	void statusShowsTheLastSyncAndTheRootsOfTheServersBundle() {
		TestPki pki = TestPki.root();
		X509Certificate root = pki.rootCredential().certificate();
		Instant at = Instant.now().minusSeconds(12);
		AgentStatus status = new AgentStatus(this.dir, Clock.fixed(Instant.now(), ZoneOffset.UTC));
		status.recordSync(at, "failed", "https://ca.example:8443 unreachable", List.of(root));
		ByteArrayOutputStream out = new ByteArrayOutputStream();

		int exit = TetherAgent.status(config(), print(out), print(new ByteArrayOutputStream()));

		assertThat(exit).isZero();
		assertThat(out.toString(StandardCharsets.UTF_8))
			.contains("LAST SYNC   " + at.truncatedTo(ChronoUnit.SECONDS)
					+ " (12s ago) failed: https://ca.example:8443 unreachable")
			.contains("ROOT        " + root.getSubjectX500Principal().getName() + " SHA-256 "
					+ Thumbprints.sha256Hex(root));
		assertThat(status.metrics())
			.contains("tether_agent_sync_last_run_seconds{outcome=\"failed\"} " + at.getEpochSecond());
	}

	@Test
	void aStatusFileThatIsNotOneSaysSoWithItsName() throws Exception {
		Files.writeString(this.dir.resolve("status.json"),
				"{\"updatedAt\":\"2026-11-25T10:00:00Z\",\"certificates\":[{\"name\":\"agent\",\"consecutiveFailures\":1.5}]}");
		ByteArrayOutputStream err = new ByteArrayOutputStream();

		int exit = TetherAgent.status(config(), print(new ByteArrayOutputStream()), print(err));

		assertThat(exit).isEqualTo(1);
		assertThat(err.toString(StandardCharsets.UTF_8)).contains("status.json is not an agent status file")
			.contains("'consecutiveFailures' is not a count: 1.5");
	}

	private AgentConfig config() {
		return new AgentConfig(List.of(java.net.URI.create("https://ca.example:8443")), null, null, null, null,
				this.dir, 0.5, 0.1, 0, List.of(), AgentConfig.DEFAULT_SYNC_INTERVAL);
	}

	private static PrintStream print(ByteArrayOutputStream out) {
		return new PrintStream(out, true, StandardCharsets.UTF_8);
	}

}
