package io.tether.server;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.tether.pki.KeyEncryptionKey;
import io.tether.pki.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.JdbcTemplate;

import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Root and intermediate rotations as operators see them: moved forward by hand with
 * {@code POST /v1/ca/rotate} (and refused cleanly when they cannot be), and by themselves
 * with lifetimes compressed to seconds on two replicas sharing one PostgreSQL: a new root
 * is published, then signs, then the old one retires; every step happens once; every leaf
 * issued on either replica verifies against the bundle the CLI holds.
 */
class CaRotationIT {

	private static final String TD = "rotation.example";

	private static final String WEB = "spiffe://" + TD + "/ns/web";

	@TempDir
	Path dir;

	@Test
	void operatorMovesRotationsForwardAndAnEmergencyRotationDropsTheIntermediateFromTheBundle() throws IOException {
		try (RunningServer server = RunningServer.start(this.dir.resolve("manual"),
				Map.of("tether.trust-domain", TD))) {
			JdbcTemplate jdbc = server.bean(JdbcTemplate.class);
			// refused: nothing changes
			List<List<String>> before = tables(jdbc);
			assertProblem(rotate(server, "{\"kind\":\"leaf\"}"), 400, "intermediate or root");
			assertProblem(rotate(server, "{}"), 400, "'kind' is required");
			assertProblem(rotate(server, "{\"kind\":\"root\",\"emergency\":true}"), 409, "without --emergency");
			HttpResponse<String> anonymous = server.postJson(server.anonymousClient(), "/v1/ca/rotate",
					"{\"kind\":\"intermediate\"}");
			assertThat(anonymous.statusCode()).isEqualTo(401);
			assertThat(tables(jdbc)).isEqualTo(before);

			// a root rotation prepares the next root, published at once
			JsonNode rotated = json.readTree(rotate(server, "{\"kind\":\"root\"}").body());
			assertThat(rotated.get("done").asString()).contains("root rotation");
			assertThat(statuses(server, "root")).containsExactly("active", "prepared");
			assertThat(server.bundle(false)).hasSize(2);
			assertThat(server.bundleFile()).as("the CLI's bundle follows at the next admin check").hasSize(1);
			List<List<String>> prepared = tables(jdbc);
			assertProblem(rotate(server, "{\"kind\":\"root\"}"), 409, "already prepared");
			assertThat(tables(jdbc)).isEqualTo(prepared);

			// an intermediate rotation prepares, then activates
			rotate(server, "{\"kind\":\"intermediate\"}");
			assertThat(statuses(server, "intermediate")).containsExactly("active", "prepared");
			assertThat(server.bundle(true)).as("two roots, two intermediates").hasSize(4);
			rotate(server, "{\"kind\":\"intermediate\"}");
			assertThat(statuses(server, "intermediate")).containsExactly("retiring", "active");
			X509Certificate leaf = issue(server);
			server.opensslVerify(this.dir.resolve("verify-after-manual-rotation"), leaf);

			// an emergency: the active one is revoked and leaves every bundle at once
			X509Certificate compromised = intermediate(server, 2);
			JsonNode emergency = json.readTree(rotate(server, "{\"kind\":\"intermediate\",\"emergency\":true}").body());
			assertThat(emergency.get("done").asString()).contains("revoked intermediate generation 2");
			assertThat(statuses(server, "intermediate")).containsExactly("retiring", "revoked", "active");
			assertThat(server.bundle(true)).doesNotContain(compromised).hasSize(4);
			List<String> shown = new ArrayList<>();
			json.readTree(server.get(server.adminClient(), "/v1/status").body())
				.get("authorities")
				.forEach((authority) -> shown
					.add(authority.get("kind").asString() + " " + authority.get("status").asString()));
			assertThat(shown).as("tether status shows what is trusted now")
				.containsExactly("root active", "root prepared", "intermediate retiring", "intermediate active");
			X509Certificate after = issue(server);
			assertThat(after.getIssuerX500Principal()).isEqualTo(compromised.getSubjectX500Principal());
			after.verify(intermediate(server, 3).getPublicKey());
			List<String> audit = new ArrayList<>();
			json.readTree(server.get(server.adminClient(), "/v1/audit?action=authority.revoked").body())
				.get("events")
				.forEach((event) -> audit.add(event.get("actor").asString()));
			assertThat(audit).hasSize(1).allMatch((actor) -> actor.contains("/tether/admin"));
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new AssertionError("the leaf after the emergency is not signed by the new intermediate", ex);
		}
	}

	@Test
	void rootRotatesOnceAcrossTwoReplicasAndEveryLeafVerifiesAgainstTheCliBundle() throws Exception {
		try (TestDatabases.PostgresSchema schema = TestDatabases.postgres()) {
			Map<String, Object> properties = compressed();
			properties.put("spring.datasource.url", schema.jdbcUrl());
			properties.put("tether.kek", KeyEncryptionKey.generate(new SecureRandom()).toBase64());
			try (RunningServer first = RunningServer.start(Files.createDirectories(this.dir.resolve("a")), properties);
					RunningServer second = RunningServer.start(Files.createDirectories(this.dir.resolve("b")),
							properties)) {
				List<X509Certificate> leaves = new ArrayList<>();
				Instant deadline = Instant.now().plusSeconds(70);
				int round = 0;
				// a root of three intermediate lives prepares its successor after one:
				// the
				// third root may be prepared by then
				while (!firstRetiredSecondActive(statuses(first, "root"))) {
					assertThat(Instant.now()).as("the first root retires within two of its lives").isBefore(deadline);
					RunningServer replica = (round++ % 2 == 0) ? first : second;
					List<X509Certificate> chain = replica.issueChain(WEB);
					assertThat(chainsTo(chain, replica.bundleFile()))
						.as("leaf %s chains to a root in the CLI's bundle", round)
						.isTrue();
					leaves.add(chain.get(0));
					Thread.sleep(500);
				}
				assertThat(leaves).hasSizeGreaterThan(20);
				assertThat(leaves.stream()
					.map((leaf) -> HexFormat.of().formatHex(leaf.getExtensionValue("2.5.29.35")))
					.distinct()).as("leaves came from several intermediates (authority key identifiers)")
					.hasSizeGreaterThan(2);

				JdbcTemplate jdbc = first.bean(JdbcTemplate.class);
				List<Map<String, Object>> duplicates = jdbc.queryForList("select action, subject, count(*) as n "
						+ "from audit_event where action like 'authority.%' group by action, subject having count(*) > 1");
				assertThat(duplicates).as("every rotation step happened once across the replicas").isEmpty();
				assertThat(jdbc.queryForObject(
						"select count(*) from authority where kind = 'INTERMEDIATE' and status = 'ACTIVE'", Long.class))
					.isEqualTo(1);
				Thread.sleep(1500);
				assertThat(first.bundle(true)).as("both replicas serve one bundle").isEqualTo(second.bundle(true));
				assertThat(first.bundleFile()).as("the CLI's bundle holds the roots published, not the retired one")
					.isEqualTo(first.bundle(false))
					.doesNotContain(root(first, 1));
				assertThat(first.get(first.adminClient(), "/v1/status").statusCode()).isEqualTo(200);
			}
		}
	}

	/**
	 * Lifetimes compressed so that a root (36 s) rotates in about half a minute:
	 * intermediates of 12 s, leaves of at most 5 s, checks every half second.
	 */
	private static Map<String, Object> compressed() {
		Map<String, Object> properties = new HashMap<>();
		properties.put("tether.trust-domain", TD);
		properties.put("tether.ca.root-ttl", "PT36S");
		properties.put("tether.ca.intermediate-ttl", "PT12S");
		properties.put("tether.ca.rotation-check-interval", "PT0.5S");
		properties.put("tether.issuance.min-ttl", "PT2S");
		properties.put("tether.issuance.default-ttl", "PT5S");
		properties.put("tether.issuance.max-ttl", "PT5S");
		properties.put("tether.agent.ttl", "PT5S");
		properties.put("tether.server.tls-ttl", "PT5S");
		properties.put("tether.server.tls-check-interval", "PT0.5S");
		properties.put("tether.admin.ttl", "PT5S");
		properties.put("tether.admin.check-interval", "PT0.5S");
		return properties;
	}

	private static boolean firstRetiredSecondActive(List<String> roots) {
		return roots.size() >= 2 && roots.get(0).equals("retired") && roots.get(1).equals("active");
	}

	private static HttpResponse<String> rotate(RunningServer server, String body) {
		return server.postJson(server.adminClient(), "/v1/ca/rotate", body);
	}

	/** The rows a rotation changes: the authorities and the audit trail. */
	private static List<List<String>> tables(JdbcTemplate jdbc) {
		Rows.Snapshot snapshot = Rows.snapshot(jdbc);
		return List.of(snapshot.tables().get("authority"), snapshot.tables().get("audit_event"));
	}

	private static void assertProblem(HttpResponse<String> response, int status, String detail) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(json.readTree(response.body()).get("detail").asString()).contains(detail);
	}

	private static List<String> statuses(RunningServer server, String kind) {
		List<String> statuses = new ArrayList<>();
		authorities(server).forEach((authority) -> {
			if (authority.get("kind").asString().equals(kind)) {
				statuses.add(authority.get("status").asString());
			}
		});
		return statuses;
	}

	private static JsonNode authorities(RunningServer server) {
		HttpResponse<String> response = server.get(server.adminClient(), "/v1/ca");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body()).get("authorities");
	}

	private static X509Certificate intermediate(RunningServer server, int generation) {
		return authority(server, "intermediate", generation);
	}

	private static X509Certificate root(RunningServer server, int generation) {
		return authority(server, "root", generation);
	}

	private static X509Certificate authority(RunningServer server, String kind, int generation) {
		for (JsonNode authority : authorities(server)) {
			if (authority.get("kind").asString().equals(kind) && authority.get("generation").asInt() == generation) {
				return Pem.readCertificate(authority.get("certificatePem").asString());
			}
		}
		throw new AssertionError("no " + kind + " generation " + generation);
	}

	private static X509Certificate issue(RunningServer server) {
		return server.issueChain(WEB).get(0);
	}

	/**
	 * Whether the chain (leaf, intermediate) validates now under one of the roots, as a
	 * relying party with that bundle would check it.
	 */
	private static boolean chainsTo(List<X509Certificate> chain, List<X509Certificate> roots) {
		for (X509Certificate root : roots) {
			try {
				chain.get(1).verify(root.getPublicKey());
				chain.get(0).verify(chain.get(1).getPublicKey());
				for (X509Certificate certificate : List.of(chain.get(0), chain.get(1), root)) {
					certificate.checkValidity();
				}
				return true;
			}
			catch (java.security.GeneralSecurityException ex) {
				// another root
			}
		}
		return false;
	}

}
