package io.tether.server;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.SpiffeId;
import io.tether.pki.Thumbprints;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.tether.server.ServerScenarios.assertProblem;
import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators read: status, the CA hierarchy, certificate filters, the audit log and
 * the CLI configuration the server writes; subclasses pick H2 or PostgreSQL.
 */
abstract class OperatorApiScenarios extends FixtureScenarios {

	private static final String TD = AgentApiScenarios.TD;

	@Test
	void statusCountsMatchTheListsAndNamesTheSoonestExpiry() {
		issueWorkloadCertificate("host-status", "/ns/status", "PT30S");
		JsonNode status = adminGet("/v1/status");
		assertThat(status.get("trustDomain").asString()).isEqualTo(TD);
		assertThat(status.get("authorities")).extracting((authority) -> authority.get("kind").asString())
			.containsExactly("root", "intermediate");
		JsonNode counts = status.get("counts");
		assertThat(counts.get("agents").asLong()).isEqualTo(adminGet("/v1/agents").get("agents").size());
		assertThat(counts.get("activeAgents").asLong()).isEqualTo(counts.get("agents").asLong()).isPositive();
		assertThat(counts.get("entries").asLong()).isEqualTo(adminGet("/v1/entries").get("entries").size());
		JsonNode valid = adminGet("/v1/certificates?status=valid&limit=1000").get("certificates");
		assertThat(counts.get("validCertificates").asLong()).isEqualTo(valid.size());
		Instant soonest = null;
		for (JsonNode certificate : valid) {
			Instant notAfter = Instant.parse(certificate.get("notAfter").asString());
			soonest = (soonest == null || notAfter.isBefore(soonest)) ? notAfter : soonest;
		}
		assertThat(Instant.parse(status.get("soonestExpiry").get("notAfter").asString())).isEqualTo(soonest);
		assertThat(status.get("soonestExpiry").get("spiffeId").asString()).isEqualTo("spiffe://" + TD + "/ns/status");
	}

	@Test
	void caShowsTheHierarchyWithFingerprintsAndNeverTheKeys() {
		HttpResponse<String> response = this.server.get(this.server.adminClient(), "/v1/ca");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).doesNotContainIgnoringCase("sealed").doesNotContain("PRIVATE KEY");
		JsonNode ca = json.readTree(response.body());
		JsonNode root = ca.get("authorities").get(0);
		assertThat(root.get("kind").asString()).isEqualTo("root");
		assertThat(root.get("sha256").asString()).isEqualTo(Thumbprints.sha256Hex(this.server.bundleFile().get(0)));
		assertThat(ca.get("authorities").get(1).get("kind").asString()).isEqualTo("intermediate");
		assertThat(ca.get("authorities").get(1).get("certificatePem").asString()).startsWith("-----BEGIN CERTIFICATE");
	}

	@Test
	void certificatesFilterByAgentAndByExpiringWithin() {
		String serial = issueWorkloadCertificate("host-filter", "/ns/filter", "PT30S");
		issueWorkloadCertificate("host-other", "/ns/other", "PT1H");
		JsonNode mine = adminGet("/v1/certificates?agent=host-filter").get("certificates");
		assertThat(mine).extracting((certificate) -> certificate.get("requestedBy").asString())
			.containsOnly("spiffe://" + TD + "/agent/host-filter");
		assertThat(mine).extracting((certificate) -> certificate.get("serialNumber").asString()).contains(serial);

		JsonNode soon = adminGet("/v1/certificates?expiringWithin=5m&limit=1000").get("certificates");
		assertThat(soon).extracting((certificate) -> certificate.get("serialNumber").asString()).contains(serial);
		Instant horizon = Instant.now().plus(Duration.ofMinutes(5)).plusSeconds(5);
		for (JsonNode certificate : soon) {
			assertThat(certificate.get("status").asString()).isEqualTo("valid");
			assertThat(Instant.parse(certificate.get("notAfter").asString())).isBefore(horizon);
		}
		assertThat(adminGet("/v1/certificates?agent=host-other&expiringWithin=5m").get("certificates")).isEmpty();
		assertProblem(this.server.get(this.server.adminClient(), "/v1/certificates?expiringWithin=soon"), 400,
				"bad-request");
		assertProblem(this.server.get(this.server.adminClient(), "/v1/certificates?agent=Not%20A%20Name"), 400,
				"invalid-agent-name");
	}

	@Test
	void auditListsRecentEventsOldestFirstAndKeepsTheNewestWhenLimited() {
		String first = this.fixture.createEntry("spiffe://" + TD + "/ns/audit-1", "host-audit", List.of(), "PT1H");
		String second = this.fixture.createEntry("spiffe://" + TD + "/ns/audit-2", "host-audit", List.of(), "PT1H");
		JsonNode events = adminGet("/v1/audit?since=10m&action=entry.created&limit=1000").get("events");
		List<String> subjects = new ArrayList<>();
		Instant previous = Instant.MIN;
		for (JsonNode event : events) {
			Instant at = Instant.parse(event.get("occurredAt").asString());
			assertThat(at).isAfterOrEqualTo(previous);
			previous = at;
			assertThat(event.get("action").asString()).isEqualTo("entry.created");
			subjects.add(event.get("subject").asString());
		}
		assertThat(subjects).containsSubsequence(first, second);
		JsonNode newest = adminGet("/v1/audit?since=10m&action=entry.created&limit=1").get("events");
		assertThat(newest).hasSize(1);
		assertThat(newest.get(0).get("subject").asString()).isEqualTo(subjects.get(subjects.size() - 1));
		String since = Instant.now().plusSeconds(60).toString();
		assertThat(adminGet("/v1/audit?since=" + since).get("events")).isEmpty();
		assertProblem(this.server.get(this.server.adminClient(), "/v1/audit?since=yesterday"), 400, "bad-request");
		assertProblem(this.server.get(this.server.adminClient(), "/v1/audit?limit=0"), 400, "bad-request");
	}

	@Test
	void serverWritesAReadyCliConfigurationForItsAdmin() throws IOException {
		java.nio.file.Path config = this.server.adminDir().resolve("config.yaml");
		assertThat(Files.getPosixFilePermissions(config)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
		assertThat(Files.readAllLines(config)).contains("server: https://localhost:" + this.server.port())
			.anyMatch((line) -> line.startsWith("bundle: ca-bundle.pem"))
			.contains("certificate: admin-cert.pem", "key: admin-key.pem");
	}

	record Issued(ApiFixture.Agent agent, String serialNumber, String x5tS256) {
	}

	/** Enrolls an agent, registers an entry for it and obtains its certificate. */
	private Issued issue(String agentName, String path, String ttl) {
		ApiFixture.Agent agent = this.fixture.enroll(this.fixture.createToken(agentName, "PT15M"), agentName);
		String entry = this.fixture.createEntry("spiffe://" + TD + path, agentName, List.of(), ttl);
		KeyPair keys = KeyType.EC_P256.generate();
		String csr = Csr.create(keys, SpiffeId.parse("spiffe://" + TD + path), List.of()).toPem();
		HttpResponse<String> issued = this.server.postJson(agent.client(), "/v1/agents/self/certificates",
				json.writeValueAsString(Map.of("entryId", entry, "csr", csr)));
		assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
		JsonNode body = json.readTree(issued.body());
		return new Issued(agent, body.get("serialNumber").asString(), body.get("x5tS256").asString());
	}

	private String issueWorkloadCertificate(String agentName, String path, String ttl) {
		return issue(agentName, path, ttl).serialNumber();
	}

	@Test
	void revokedCertificateShowsInStatusAndListAndIsRevokedOnce() {
		Issued issued = issue("host-revoke", "/ns/revoke", "PT5M");
		HttpClient asker = issued.agent().client();
		assertThat(status(asker, issued.x5tS256()).get("status").asString()).isEqualTo("valid");

		assertProblem(revoke(issued.serialNumber(), "{\"reason\":\"because\"}"), 400, "bad-request");
		assertThat(status(asker, issued.x5tS256()).get("status").asString()).isEqualTo("valid");
		HttpResponse<String> revoked = revoke(issued.serialNumber(), "{\"reason\":\"keyCompromise\"}");
		assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
		assertThat(json.readTree(revoked.body()).get("status").asString()).isEqualTo("revoked");

		JsonNode status = status(this.server.adminClient(), issued.x5tS256());
		assertThat(status.get("status").asString()).isEqualTo("revoked");
		assertThat(status.get("revocationReason").asString()).isEqualTo("keyCompromise");
		assertThat(status.get("serialNumber").asString()).isEqualTo(issued.serialNumber());
		assertThat(status.get("known").asBoolean()).isTrue();
		assertThat(adminGet("/v1/certificates?status=revoked&limit=1000").get("certificates"))
			.extracting((certificate) -> certificate.get("serialNumber").asString())
			.contains(issued.serialNumber());
		assertProblem(revoke(issued.serialNumber(), "{}"), 409, "conflict");
		assertThat(adminGet("/v1/audit?since=5m&action=certificate.revoked").get("events"))
			.extracting((event) -> event.get("subject").asString())
			.containsOnlyOnce(issued.serialNumber());
	}

	@Test
	void certificateStatusNeedsACertificateOfThisCaAndSaysUnknownForOthers() {
		String unknown = Thumbprints.x5tS256(this.server.bundleFile().get(0)).replace('A', 'B');
		JsonNode stranger = status(this.server.adminClient(), "a".repeat(43));
		assertThat(stranger.get("status").asString()).isEqualTo("unknown");
		assertThat(stranger.get("known").asBoolean()).isFalse();
		assertProblem(this.server.get(this.server.anonymousClient(), "/v1/certificates/status?x5tS256=" + unknown), 401,
				"client-certificate-required");
		assertProblem(this.server.get(this.server.adminClient(), "/v1/certificates/status?x5tS256=short"), 400,
				"bad-request");
	}

	@Test
	void tethersOwnCertificatesAreNotRevocableThroughTheApi() {
		String admin = adminGet("/v1/certificates?spiffeId=spiffe://" + TD + "/tether/admin").get("certificates")
			.get(0)
			.get("serialNumber")
			.asString();
		assertProblem(revoke(admin, "{}"), 403, "not-revocable");
		assertProblem(revoke("0abc", "{}"), 404, "not-found");
	}

	@Test
	void evictedAgentIsLockedOutAndEverythingItObtainedIsRevoked() {
		Issued issued = issue("host-evict", "/ns/evict", "PT5M");
		HttpResponse<String> evicted = this.server.postJson(this.server.adminClient(), "/v1/agents/host-evict/evict",
				"{}");
		assertThat(evicted.statusCode()).as(evicted.body()).isEqualTo(200);
		JsonNode body = json.readTree(evicted.body());
		assertThat(body.get("agent").get("status").asString()).isEqualTo("evicted");
		assertThat(body.get("revokedCertificates").asInt()).as("its identity and its workload's").isEqualTo(2);

		assertThat(status(this.server.adminClient(), issued.x5tS256()).get("revocationReason").asString())
			.isEqualTo("cessationOfOperation");
		assertProblem(this.server.get(issued.agent().client(), "/v1/agents/self/entries"), 403, "not-agent");
		assertProblem(this.server.get(issued.agent().client(), "/v1/certificates/status?x5tS256=" + issued.x5tS256()),
				403, "certificate-revoked");
		assertProblem(this.server.postJson(this.server.adminClient(), "/v1/agents/host-evict/evict", "{}"), 409,
				"conflict");
		assertProblem(this.server.postJson(this.server.adminClient(), "/v1/agents/host-nobody/evict", "{}"), 404,
				"not-found");
	}

	private HttpResponse<String> revoke(String serial, String body) {
		return this.server.postJson(this.server.adminClient(), "/v1/certificates/" + serial + "/revoke", body);
	}

	private JsonNode status(HttpClient client, String x5tS256) {
		HttpResponse<String> response = this.server.get(client, "/v1/certificates/status?x5tS256=" + x5tS256);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

	private JsonNode adminGet(String path) {
		HttpResponse<String> response = this.server.get(this.server.adminClient(), path);
		assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

}
