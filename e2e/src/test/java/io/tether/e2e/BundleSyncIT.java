package io.tether.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.tether.pki.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real server whose intermediate rotates by itself after 90 s, and a real agent syncing
 * every 5 s: the new intermediate reaches the workload's bundle file within one sync
 * interval of the server publishing it, with no renewal needed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BundleSyncIT {

	private static final Duration SYNC_INTERVAL = Duration.ofSeconds(5);

	private Path work;

	private TetherServer server;

	private final List<RunningProcess> processes = new ArrayList<>();

	@BeforeAll
	void startServer() throws IOException {
		this.work = Files.createTempDirectory("tether-e2e-sync");
		// rotation at half of 3 min; everything it signs fits in the half left
		this.server = new TetherServer(this.work.resolve("server"), RunningProcess.freePort(),
				TetherServer.TRUST_DOMAIN,
				List.of("--tether.ca.intermediate-ttl=PT3M", "--tether.ca.rotation-check-interval=PT1S",
						"--tether.issuance.max-ttl=PT60S", "--tether.agent.ttl=PT60S", "--tether.server.tls-ttl=PT60S",
						"--tether.server.tls-check-interval=PT1S", "--tether.admin.ttl=PT60S",
						"--tether.admin.check-interval=PT1S"))
			.start();
	}

	@AfterAll
	void stopEverything() {
		this.processes.forEach(RunningProcess::close);
		if (this.server != null) {
			this.server.close();
		}
		try (Stream<Path> paths = Files.walk(this.work)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory left behind
		}
	}

	@Test
	void aRotatedIntermediateReachesTheWorkloadsBundleFileWithinOneSyncInterval() throws IOException {
		String spiffeId = "spiffe://" + TetherServer.TRUST_DOMAIN + "/ns/sync";
		this.server.createEntry(spiffeId, "host-sync", List.of(), "PT60S");
		Path out = this.work.resolve("sync");
		Path config = this.work.resolve("agent-sync.yaml");
		Files.writeString(config,
				"""
						servers: [%s]
						joinToken: %s
						dataDir: %s
						sync: {interval: %ds}
						workloads:
						  - spiffeId: %s
						    outputs: {certificate: %s/cert.pem, key: %s/key.pem, bundle: %s/bundle.pem, bundleIntermediates: true}
						"""
					.formatted(this.server.url(), this.server.createToken("host-sync"), this.work.resolve("agent-data"),
							SYNC_INTERVAL.toSeconds(), spiffeId, out, out, out));
		this.processes.add(RunningProcess.start(AgentProcess.command(config), this.work.resolve("agent-sync.log")));
		String before = this.server.bundle(true);
		assertThat(Pem.readCertificates(before)).as("a root and one intermediate before the rotation").hasSize(2);
		RunningProcess.await("the first bundle file", Duration.ofSeconds(60),
				() -> before.equals(readIfPresent(out.resolve("bundle.pem"))));

		String[] after = new String[1];
		RunningProcess.await("the server's intermediate rotation", Duration.ofMinutes(3), () -> {
			after[0] = this.server.bundle(true);
			return !after[0].equals(before);
		});
		long published = System.nanoTime();
		RunningProcess.await("the new bundle in the workload's file", Duration.ofSeconds(30),
				() -> after[0].equals(readIfPresent(out.resolve("bundle.pem"))));
		Duration took = Duration.ofNanos(System.nanoTime() - published);

		List<X509Certificate> bundle = Pem.readCertificates(after[0]);
		assertThat(bundle).as("the root, the retiring and the new intermediate").hasSize(3);
		// one interval, plus a second for the request and the write on a busy machine
		assertThat(took).isLessThan(SYNC_INTERVAL.plusSeconds(1));
	}

	private static String readIfPresent(Path file) {
		try {
			return Files.exists(file) ? Files.readString(file) : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

}
