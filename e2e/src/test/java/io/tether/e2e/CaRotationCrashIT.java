package io.tether.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.SpiffeId;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server killed with SIGKILL again and again while its CAs rotate every few seconds
 * (intermediates of 12 s, roots of 36 s), and restarted on the same embedded database:
 * each restart finds one active intermediate under the active root, the rotation carries
 * on from where it was, no step is taken twice, and every leaf is signed by an authority
 * that was active or retiring, never by a retired or revoked one.
 */
class CaRotationCrashIT {

	private static final String[] COMPRESSED = { "--tether.ca.root-ttl=PT36S", "--tether.ca.intermediate-ttl=PT12S",
			"--tether.ca.rotation-check-interval=PT0.5S", "--tether.issuance.min-ttl=PT2S",
			"--tether.issuance.default-ttl=PT5S", "--tether.issuance.max-ttl=PT5S", "--tether.agent.ttl=PT5S",
			"--tether.server.tls-ttl=PT5S", "--tether.server.tls-check-interval=PT0.5S", "--tether.admin.ttl=PT5S",
			"--tether.admin.check-interval=PT0.5S" };

	@Test
	void serverKilledAtRandomPointsOfItsRotationsRestartsAndCarriesOn() throws Exception {
		Path work = Files.createTempDirectory("tether-crash-e2e");
		Random random = new Random(Long.getLong("crash.seed", 12));
		List<Long> killedAfterMillis = new ArrayList<>();
		try (TetherServer server = new TetherServer(work.resolve("server"), RunningProcess.freePort())
			.with(COMPRESSED)) {
			server.start();
			for (int kill = 0; kill < 12; kill++) {
				long millis = 500 + random.nextInt(4000);
				Thread.sleep(millis);
				server.kill();
				killedAfterMillis.add(millis);
				server.start();
				JsonNode authorities = server.get("/v1/ca").get("authorities");
				assertConsistent(authorities, kill);
				X509Certificate leaf = issue(server);
				assertSignedByUsable(leaf, server.get("/v1/ca").get("authorities"), kill);
			}
			JsonNode authorities = server.get("/v1/ca").get("authorities");
			int roots = 0;
			for (JsonNode authority : authorities) {
				roots += authority.get("kind").asString().equals("root") ? 1 : 0;
			}
			assertThat(roots).as("roots rotated during the kills (%s)", killedAfterMillis).isGreaterThan(1);
			assertStepsTakenOnce(server);
		}
	}

	private static void assertConsistent(JsonNode authorities, int kill) {
		Map<String, String> rootStatus = new java.util.HashMap<>();
		authorities.forEach((authority) -> {
			if (authority.get("kind").asString().equals("root")) {
				rootStatus.put(authority.get("id").asString(), authority.get("status").asString());
			}
		});
		List<JsonNode> active = new ArrayList<>();
		List<JsonNode> prepared = new ArrayList<>();
		authorities.forEach((authority) -> {
			if (authority.get("kind").asString().equals("intermediate")) {
				switch (authority.get("status").asString()) {
					case "active" -> active.add(authority);
					case "prepared" -> prepared.add(authority);
					default -> {
					}
				}
			}
		});
		assertThat(active).as("after kill %s: one active intermediate", kill).hasSize(1);
		assertThat(prepared).as("after kill %s: at most one prepared", kill).hasSizeLessThanOrEqualTo(1);
		assertThat(rootStatus.get(active.get(0).get("parentId").asString()))
			.as("after kill %s: the active intermediate is under the active root", kill)
			.isEqualTo("active");
		assertThat(rootStatus.values().stream().filter("active"::equals).count()).isEqualTo(1);
	}

	private static void assertSignedByUsable(X509Certificate leaf, JsonNode authorities, int kill) {
		for (JsonNode authority : authorities) {
			X509Certificate certificate = Pem.readCertificate(authority.get("certificatePem").asString());
			try {
				leaf.verify(certificate.getPublicKey());
			}
			catch (GeneralSecurityException ex) {
				continue;
			}
			assertThat(authority.get("status").asString()).as("after kill %s: the leaf's issuer", kill)
				.isIn("active", "retiring");
			assertThat(leaf.getNotAfter()).as("not cut short, within its issuer")
				.isBeforeOrEqualTo(certificate.getNotAfter());
			return;
		}
		throw new AssertionError("after kill " + kill + ": no authority signed the leaf");
	}

	private static void assertStepsTakenOnce(TetherServer server) {
		for (String action : List.of("authority.prepared", "authority.activated", "authority.retired")) {
			Set<String> subjects = new HashSet<>();
			server.get("/v1/audit?since=1h&limit=1000&action=" + action).get("events").forEach((event) -> {
				assertThat(subjects.add(event.get("subject").asString()))
					.as("%s once for %s", action, event.get("subject").asString())
					.isTrue();
			});
			assertThat(subjects).as(action).isNotEmpty();
		}
	}

	private static X509Certificate issue(TetherServer server) throws IOException {
		String spiffeId = "spiffe://" + TetherServer.TRUST_DOMAIN + "/ns/crash";
		String csr = Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse(spiffeId), List.of()).toPem();
		JsonNode issued = server.post("/v1/certificates", Map.of("csr", csr, "spiffeId", spiffeId));
		return Pem.readCertificates(issued.get("certificateChain").asString()).get(0);
	}

}
