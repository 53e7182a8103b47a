package io.tether.server;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.SpiffeId;
import io.tether.pki.Thumbprints;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.tether.server.ServerScenarios.assertProblem;
import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Join tokens, enrollment, registration entries and what an agent may obtain, over real
 * mTLS against one database; subclasses pick H2 or PostgreSQL.
 */
abstract class AgentApiScenarios extends FixtureScenarios {

	static final String TD = "agents.example";

	@Test
	void joinTokenPinsTheRootAndEnrollsExactlyOnce() throws Exception {
		String token = this.fixture.createToken("host-once", "PT15M");
		String[] parts = token.split("\\.");
		assertThat(parts).hasSize(4);
		assertThat(parts[0]).isEqualTo("tj1");
		assertThat(parts[3]).isEqualTo(Thumbprints.sha256Hex(this.server.bundleFile().get(0).getEncoded()));
		Long stored = this.fixture.jdbc()
			.queryForObject("select count(*) from join_token where secret_hash = ? or id = ?", Long.class, parts[2],
					parts[2]);
		assertThat(stored).as("the secret itself is never stored").isZero();

		ApiFixture.Agent agent = this.fixture.enroll(token, "host-once");
		assertThat(agent.chain().get(0).getSubjectAlternativeNames())
			.containsExactly(List.of(6, "spiffe://" + TD + "/agent/host-once"));
		Duration lifetime = Duration.between(agent.chain().get(0).getNotBefore().toInstant(),
				agent.chain().get(0).getNotAfter().toInstant());
		assertThat(lifetime).isBetween(Duration.ofHours(24), Duration.ofHours(24).plusMinutes(1));

		long rows = this.server.certificateRows();
		HttpResponse<String> replay = this.fixture.enrollRequest(token,
				ApiFixture.csr(KeyType.EC_P256.generate(), "host-once"));
		assertProblem(replay, 401, "invalid-join-token");
		assertThat(json.readTree(replay.body()).get("detail").asString()).contains("already used");
		assertThat(this.server.certificateRows()).isEqualTo(rows);
	}

	@Test
	void expiredJoinTokenIsRefused() {
		String token = this.fixture.createToken("host-late", "PT15M");
		this.fixture.jdbc()
			.update("update join_token set expires_at = ? where id = ?",
					java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(1)), token.split("\\.")[1]);
		long rows = this.server.certificateRows();
		HttpResponse<String> response = this.fixture.enrollRequest(token,
				ApiFixture.csr(KeyType.EC_P256.generate(), "host-late"));
		assertProblem(response, 401, "invalid-join-token");
		assertThat(json.readTree(response.body()).get("detail").asString()).contains("expired");
		assertThat(this.server.certificateRows()).isEqualTo(rows);
	}

	@Test
	void malformedOrForgedJoinTokenIsRefused() {
		String token = this.fixture.createToken("host-forged", "PT15M");
		String[] parts = token.split("\\.");
		// one character of the secret changed (to another one: 'A' when it was not 'A')
		char changed = (parts[2].charAt(0) == 'A') ? 'B' : 'A';
		String forged = String.join(".", parts[0], parts[1], changed + parts[2].substring(1), parts[3]);
		long rows = this.server.certificateRows();
		assertProblem(this.fixture.enrollRequest(forged, ApiFixture.csr(KeyType.EC_P256.generate(), "host-forged")),
				401, "invalid-join-token");
		assertProblem(
				this.fixture.enrollRequest("not-a-token", ApiFixture.csr(KeyType.EC_P256.generate(), "host-forged")),
				401, "invalid-join-token");
		assertThat(this.server.certificateRows()).isEqualTo(rows);
	}

	@Test
	void tokenForAnotherAgentNameIsRefusedAndStaysUsable() {
		String token = this.fixture.createToken("host-right", "PT15M");
		long rows = this.server.certificateRows();
		assertProblem(this.fixture.enrollRequest(token, ApiFixture.csr(KeyType.EC_P256.generate(), "host-wrong")), 403,
				"san-not-allowed");
		assertThat(this.server.certificateRows()).isEqualTo(rows);
		// the refusal rolled back: the token still enrolls the agent it was made for
		this.fixture.enroll(token, "host-right");
	}

	@Test
	void agentSeesOnlyItsEntriesAndObtainsCertificatesOnlyForThem() throws Exception {
		ApiFixture.Agent agent = this.fixture.enroll(this.fixture.createToken("host-a", "PT15M"), "host-a");
		String mine = this.fixture.createEntry("spiffe://" + TD + "/ns/web", "host-a", List.of("web.internal"),
				"PT30S");
		String theirs = this.fixture.createEntry("spiffe://" + TD + "/ns/db", "host-b", List.of(), "PT1H");

		JsonNode entries = json.readTree(this.server.get(agent.client(), "/v1/agents/self/entries").body());
		assertThat(entries.get("entries")).hasSize(1);
		assertThat(entries.get("entries").get(0).get("id").asString()).isEqualTo(mine);

		KeyPair workloadKeys = KeyType.EC_P256.generate();
		String csr = Csr.create(workloadKeys, SpiffeId.parse("spiffe://" + TD + "/ns/web"), List.of("web.internal"))
			.toPem();
		HttpResponse<String> issued = this.server.postJson(agent.client(), "/v1/agents/self/certificates",
				json.writeValueAsString(Map.of("entryId", mine, "csr", csr)));
		assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
		JsonNode body = json.readTree(issued.body());
		X509Certificate leaf = Pem.readCertificates(body.get("certificateChain").asString()).get(0);
		assertThat(leaf.getPublicKey()).isEqualTo(workloadKeys.getPublic());
		assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
			.as("30 s entry TTL plus the backdate")
			.isBetween(Duration.ofSeconds(30), Duration.ofSeconds(91));
		assertThat(Pem.readCertificates(body.get("bundle").asString())).isEqualTo(this.server.bundleFile());
		JsonNode record = json.readTree(
				this.server.get(this.server.adminClient(), "/v1/certificates/" + body.get("serialNumber").asString())
					.body());
		assertThat(record.get("requestedBy").asString()).isEqualTo("spiffe://" + TD + "/agent/host-a");

		long rows = this.server.certificateRows();
		String theirCsr = Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse("spiffe://" + TD + "/ns/db"), List.of())
			.toPem();
		assertProblem(
				this.server.postJson(agent.client(), "/v1/agents/self/certificates",
						json.writeValueAsString(Map.of("entryId", theirs, "csr", theirCsr))),
				403, "entry-not-assigned");
		assertThat(this.server.certificateRows()).isEqualTo(rows);
	}

	@Test
	void csrWhoseSansDifferFromTheEntryIsRefused() {
		ApiFixture.Agent agent = this.fixture.enroll(this.fixture.createToken("host-sans", "PT15M"), "host-sans");
		String entry = this.fixture.createEntry("spiffe://" + TD + "/ns/api", "host-sans", List.of("api.internal"),
				"PT5M");
		long rows = this.server.certificateRows();
		for (Csr csr : List.of(
				Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse("spiffe://" + TD + "/ns/api"),
						List.of("api.internal", "evil.internal")),
				Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse("spiffe://" + TD + "/ns/other"),
						List.of("api.internal")),
				Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse("spiffe://" + TD + "/ns/api"), List.of()),
				Csr.create(KeyType.EC_P256.generate(), null, List.of()))) {
			assertProblem(
					this.server.postJson(agent.client(), "/v1/agents/self/certificates",
							json.writeValueAsString(Map.of("entryId", entry, "csr", csr.toPem()))),
					403, "san-not-allowed");
		}
		assertThat(this.server.certificateRows()).isEqualTo(rows);
	}

	@Test
	void agentRenewsItsOwnCertificateAndIsListed() throws Exception {
		ApiFixture.Agent agent = this.fixture.enroll(this.fixture.createToken("host-renew", "PT15M"), "host-renew");
		KeyPair next = KeyType.EC_P256.generate();
		HttpResponse<String> renewed = this.server.postJson(agent.client(), "/v1/agents/self/renew",
				json.writeValueAsString(Map.of("csr", ApiFixture.csr(next, "host-renew"))));
		assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
		String serial = json.readTree(renewed.body()).get("serialNumber").asString();
		X509Certificate leaf = Pem.readCertificates(json.readTree(renewed.body()).get("certificateChain").asString())
			.get(0);
		assertThat(leaf.getPublicKey()).isEqualTo(next.getPublic());

		JsonNode shown = json.readTree(this.server.get(this.server.adminClient(), "/v1/agents/host-renew").body());
		assertThat(shown.get("certificateSerial").asString()).isEqualTo(serial);
		assertThat(shown.get("status").asString()).isEqualTo("active");
		JsonNode list = json.readTree(this.server.get(this.server.adminClient(), "/v1/agents").body());
		assertThat(list.get("agents").valueStream().map((a) -> a.get("name").asString())).contains("host-renew");
		assertProblem(this.server.get(this.server.adminClient(), "/v1/agents/nobody"), 404, "not-found");
	}

	@Test
	void agentAndAdminCertificatesOpenOnlyTheirOwnDoors() {
		ApiFixture.Agent agent = this.fixture.enroll(this.fixture.createToken("host-doors", "PT15M"), "host-doors");
		assertProblem(this.server.get(agent.client(), "/v1/agents"), 403, "not-admin");
		assertProblem(this.server.get(this.server.adminClient(), "/v1/agents/self/entries"), 403, "not-agent");
		assertProblem(this.server.get(this.server.anonymousClient(), "/v1/agents/self/entries"), 401,
				"client-certificate-required");
	}

	@Test
	void agentCertificateFromAnotherCaFailsTheHandshake() {
		TestPki.Issued foreign = TestPki.root().intermediate().leaf("spiffe://" + TD + "/agent/host-a");
		HttpClient client = this.server.clientAlwaysPresenting(foreign.keys().getPrivate(), foreign.chain());
		assertThatThrownBy(() -> this.server.get(client, "/v1/agents/self/entries"))
			.isInstanceOf(java.io.UncheckedIOException.class);
	}

	@Test
	void entriesAreCreatedListedAndDeletedWithPolicyCheckedUpFront() {
		String id = this.fixture.createEntry("spiffe://" + TD + "/ns/cache", "host-x", List.of("Cache.Internal"),
				"15m");
		JsonNode entry = json.readTree(this.server.get(this.server.adminClient(), "/v1/entries/" + id).body());
		assertThat(entry.get("dnsNames").get(0).asString()).isEqualTo("cache.internal");
		assertThat(entry.get("ttl").asString()).isEqualTo("PT15M");
		assertProblem(this.fixture.postEntry("spiffe://" + TD + "/ns/cache", "host-x", "PT15M"), 409, "conflict");
		assertProblem(this.fixture.postEntry("spiffe://elsewhere.example/ns/cache", "host-x", "PT15M"), 403,
				"trust-domain-mismatch");
		assertProblem(this.fixture.postEntry("spiffe://" + TD + "/agent/host-x", "host-x", "PT15M"), 403,
				"san-not-allowed");
		assertProblem(this.fixture.postEntry("spiffe://" + TD + "/ns/cache2", "host-x", "PT48H"), 403,
				"ttl-out-of-range");
		assertProblem(this.fixture.postEntry("spiffe://" + TD + "/ns/cache2", "Host X", "PT15M"), 400,
				"invalid-agent-name");
		JsonNode listed = json.readTree(this.server.get(this.server.adminClient(), "/v1/entries?agent=host-x").body());
		assertThat(listed.get("entries")).hasSize(1);

		HttpResponse<String> deleted = RunningServer.send(this.server.adminClient(),
				java.net.http.HttpRequest.newBuilder(this.server.uri("/v1/entries/" + id)).DELETE().build());
		assertThat(deleted.statusCode()).isEqualTo(200);
		assertThat(json.readTree(deleted.body()).get("revoked").asInt()).isZero();
		assertProblem(this.server.get(this.server.adminClient(), "/v1/entries/" + id), 404, "not-found");
	}

}
