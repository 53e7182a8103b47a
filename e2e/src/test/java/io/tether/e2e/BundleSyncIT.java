package io.tether.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.tether.pki.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real server whose next intermediate is prepared by itself after 60 s, and real agents
 * syncing every 5 s: the new intermediate reaches the workload's bundle file within one
 * sync interval of the server publishing it, with no renewal needed; after an emergency
 * rotation, every certificate the revoked intermediate signed is re-issued within one
 * sync interval.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
	@Order(1)
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
		assertThat(bundle).as("the root, the active and the prepared intermediate").hasSize(3);
		// one interval, plus a second for the request and the write on a busy machine
		assertThat(took).isLessThan(SYNC_INTERVAL.plusSeconds(1));
	}

	@Test
	@Order(2)
	void afterAnEmergencyRotationEveryLeafOfTheRevokedIntermediateIsReissuedWithinOneSync() throws IOException {
		String spiffeId = "spiffe://" + TetherServer.TRUST_DOMAIN + "/ns/emergency";
		this.server.createEntry(spiffeId, "host-emergency", List.of(), "PT60S");
		Path out = this.work.resolve("emergency");
		Path config = this.work.resolve("agent-emergency.yaml");
		Files.writeString(config, """
				servers: [%s]
				joinToken: %s
				dataDir: %s
				sync: {interval: %ds}
				workloads:
				  - spiffeId: %s
				    outputs: {certificate: %s/cert.pem, key: %s/key.pem, bundle: %s/bundle.pem}
				""".formatted(this.server.url(), this.server.createToken("host-emergency"),
				this.work.resolve("agent-emergency-data"), SYNC_INTERVAL.toSeconds(), spiffeId, out, out, out));
		this.processes
			.add(RunningProcess.start(AgentProcess.command(config), this.work.resolve("agent-emergency.log")));
		RunningProcess.await("the workload's certificate", Duration.ofSeconds(60),
				() -> readIfPresent(out.resolve("cert.pem")) != null);
		X509Certificate compromised = activeIntermediate();
		assertThat(signedBy(out, compromised)).isTrue();

		this.server.post("/v1/ca/rotate", Map.of("kind", "intermediate", "emergency", true));
		long rotated = System.nanoTime();
		X509Certificate replacement = activeIntermediate();
		assertThat(replacement).isNotEqualTo(compromised);
		RunningProcess.await("the workload re-issued under the new intermediate", Duration.ofSeconds(30),
				() -> signedBy(out, replacement));
		Duration took = Duration.ofNanos(System.nanoTime() - rotated);
		System.out.println("emergency rotation: workload certificate re-issued " + took.toMillis() + " ms after it");
		// one interval, plus the renewal and the write on a busy machine
		assertThat(took).isLessThan(SYNC_INTERVAL.plusSeconds(3));
		Path agentCertificate = this.work.resolve("agent-emergency-data/identity/agent-cert.pem");
		RunningProcess.await("the agent's own certificate re-issued too", SYNC_INTERVAL.plusSeconds(3),
				() -> verifies(Pem.readCertificates(readIfPresent(agentCertificate)).get(0), replacement));
	}

	private X509Certificate activeIntermediate() {
		for (JsonNode authority : this.server.get("/v1/ca").get("authorities")) {
			if (authority.get("kind").asString().equals("intermediate")
					&& authority.get("status").asString().equals("active")) {
				return Pem.readCertificate(authority.get("certificatePem").asString());
			}
		}
		throw new AssertionError("no active intermediate");
	}

	private static boolean signedBy(Path out, X509Certificate intermediate) {
		String chain = readIfPresent(out.resolve("cert.pem"));
		return chain != null && verifies(Pem.readCertificates(chain).get(0), intermediate);
	}

	private static boolean verifies(X509Certificate leaf, X509Certificate issuer) {
		try {
			leaf.verify(issuer.getPublicKey());
			return true;
		}
		catch (GeneralSecurityException ex) {
			return false;
		}
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
