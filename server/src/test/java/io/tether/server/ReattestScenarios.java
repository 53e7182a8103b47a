package io.tether.server;

import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.SerialNumbers;
import io.tether.pki.SpiffeId;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.tether.server.ServerScenarios.assertProblem;
import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent whose own certificate expired while it was away comes back with the key it
 * holds, within {@code tether.agent.reattest-grace}, and only then: agent certificates
 * live 2 s here and the grace is 6 s, so they really expire. Every refusal is a problem
 * document and changes no row; subclasses pick H2 or PostgreSQL.
 */
abstract class ReattestScenarios extends FixtureScenarios {

	private static final String TD = AgentApiScenarios.TD;

	private static final Duration GRACE = Duration.ofSeconds(6);

	@Override
	Map<String, Object> settings() {
		return Map.of("tether.agent.ttl", "PT2S", "tether.agent.reattest-grace", GRACE.toString());
	}

	@Test
	void expiredAgentReattestsWithinGraceAndKeepsItsKeyAndId() throws Exception {
		ApiFixture.Agent agent = enroll("host-back");
		X509Certificate expired = agent.chain().get(0);
		waitUntil(expired.getNotAfter().toInstant().plusSeconds(1));
		Instant before = Instant.now();

		HttpResponse<String> response = reattest("host-back", expired, agent.keys());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode body = json.readTree(response.body());
		List<X509Certificate> chain = Pem.readCertificates(body.get("certificateChain").asString());
		X509Certificate fresh = chain.get(0);
		assertThat(fresh.getPublicKey()).isEqualTo(expired.getPublicKey());
		assertThat(fresh.getSubjectAlternativeNames()).containsExactlyElementsOf(expired.getSubjectAlternativeNames());
		assertThat(fresh.getNotAfter().toInstant()).isAfter(Instant.now());
		assertThat(body.get("serialNumber").asString()).isEqualTo(SerialNumbers.toHex(fresh.getSerialNumber()));

		JsonNode shown = adminGet("/v1/agents/host-back");
		assertThat(shown.get("certificateSerial").asString()).isEqualTo(body.get("serialNumber").asString());
		assertThat(Instant.parse(shown.get("lastSeenAt").asString())).isAfterOrEqualTo(before.minusSeconds(1));
		JsonNode events = adminGet("/v1/audit?since=1m&action=agent.reattested").get("events");
		assertThat(events.valueStream().map((event) -> event.get("subject").asString())).contains("host-back");
		// the new certificate opens the agent's doors again
		assertThat(this.server.get(this.server.clientWith(agent.keys().getPrivate(), chain), "/v1/agents/self/entries")
			.statusCode()).isEqualTo(200);
	}

	@Test
	void unexpiredAgentCertificateReattestsLikeARenewal() {
		ApiFixture.Agent agent = enroll("host-early");
		HttpResponse<String> response = reattest("host-early", agent.chain().get(0), agent.keys());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

	@Test
	void reattestPastTheGraceIsRefused() {
		ApiFixture.Agent agent = enroll("host-gone");
		X509Certificate expired = agent.chain().get(0);
		waitUntil(expired.getNotAfter().toInstant().plus(GRACE).plusSeconds(1));
		assertRefused(body("host-gone", expired, agent.keys()), 403, "reattest-grace-passed");
	}

	@Test
	void evictedAgentIsRefusedAndToldSo() {
		ApiFixture.Agent agent = enroll("host-evicted");
		HttpResponse<String> evicted = this.server.postJson(this.server.adminClient(), "/v1/agents/host-evicted/evict",
				"{}");
		assertThat(evicted.statusCode()).as(evicted.body()).isEqualTo(200);
		waitUntil(agent.chain().get(0).getNotAfter().toInstant().plusSeconds(1));
		HttpResponse<String> refused = assertRefused(body("host-evicted", agent.chain().get(0), agent.keys()), 403,
				"agent-evicted");
		assertThat(json.readTree(refused.body()).get("detail").asString()).contains("new name");
	}

	@Test
	void csrSignedWithAnotherKeyIsRefusedAndTheRightOneStillWorks() {
		ApiFixture.Agent agent = enroll("host-key");
		X509Certificate expired = agent.chain().get(0);
		waitUntil(expired.getNotAfter().toInstant().plusSeconds(1));
		assertRefused(body("host-key", expired, KeyType.EC_P256.generate()), 403, "key-mismatch");
		assertThat(reattest("host-key", expired, agent.keys()).statusCode()).isEqualTo(200);
	}

	@Test
	void anotherAgentsWorkloadOrForeignCertificateIsRefused() {
		ApiFixture.Agent mine = enroll("host-mine");
		ApiFixture.Agent theirs = enroll("host-theirs");
		String entry = this.fixture.createEntry("spiffe://" + TD + "/ns/reattest", "host-mine", List.of(), "PT30S");
		KeyPair workloadKeys = KeyType.EC_P256.generate();
		HttpResponse<String> issued = this.server.postJson(mine.client(), "/v1/agents/self/certificates", json
			.writeValueAsString(Map.of("entryId", entry, "csr",
					Csr.create(workloadKeys, SpiffeId.parse("spiffe://" + TD + "/ns/reattest"), List.of()).toPem())));
		assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
		X509Certificate workload = Pem.readCertificates(json.readTree(issued.body()).get("certificateChain").asString())
			.get(0);
		TestPki.Issued foreign = TestPki.root().intermediate().leaf("spiffe://" + TD + "/agent/host-mine");
		waitUntil(theirs.chain().get(0).getNotAfter().toInstant().plusSeconds(1));

		assertRefused(body("host-mine", theirs.chain().get(0), theirs.keys()), 403, "not-agent");
		assertRefused(body("host-mine", workload, workloadKeys), 403, "not-agent");
		assertRefused(body("host-mine", foreign.chain().get(0), foreign.keys()), 403, "not-agent");
		assertRefused(body("host-nobody", theirs.chain().get(0), theirs.keys()), 403, "not-agent");
	}

	@Test
	void revokedAgentCertificateIsRefused() {
		ApiFixture.Agent agent = enroll("host-revoked");
		X509Certificate certificate = agent.chain().get(0);
		HttpResponse<String> revoked = this.server.postJson(this.server.adminClient(),
				"/v1/certificates/" + SerialNumbers.toHex(certificate.getSerialNumber()) + "/revoke",
				"{\"reason\":\"keyCompromise\"}");
		assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
		waitUntil(certificate.getNotAfter().toInstant().plusSeconds(1));
		assertRefused(body("host-revoked", certificate, agent.keys()), 403, "certificate-revoked");
	}

	@Test
	void malformedRequestsAreRefused() {
		ApiFixture.Agent agent = enroll("host-malformed");
		String certificate = Pem.write(List.of(agent.chain().get(0)));
		String csr = ApiFixture.csr(agent.keys(), "host-malformed");
		assertRefused(Map.of("agent", "host-malformed", "csr", csr), 400, "bad-request");
		assertRefused(Map.of("agent", "host-malformed", "certificate", Pem.write(agent.chain()), "csr", csr), 400,
				"bad-request");
		assertRefused(Map.of("agent", "host-malformed", "certificate", certificate), 400, "bad-request");
		assertRefused(Map.of("agent", "Not A Name", "certificate", certificate, "csr", csr), 400, "invalid-agent-name");
	}

	private ApiFixture.Agent enroll(String name) {
		return this.fixture.enroll(this.fixture.createToken(name, "PT15M"), name);
	}

	private HttpResponse<String> reattest(String name, X509Certificate certificate, KeyPair keys) {
		return post(body(name, certificate, keys));
	}

	private static Map<String, String> body(String name, X509Certificate certificate, KeyPair keys) {
		return Map.of("agent", name, "certificate", Pem.write(List.of(certificate)), "csr", ApiFixture.csr(keys, name));
	}

	private HttpResponse<String> post(Map<String, String> body) {
		return this.server.postJson(this.server.anonymousClient(), "/v1/agents/reattest",
				json.writeValueAsString(body));
	}

	/**
	 * Sends a request that must be refused, asserts the problem and that no row of any
	 * table changed.
	 */
	private HttpResponse<String> assertRefused(Map<String, String> body, int status, String type) {
		Rows.Snapshot before = Rows.snapshot(this.fixture.jdbc());
		HttpResponse<String> response = post(body);
		assertProblem(response, status, type);
		assertThat(Rows.snapshot(this.fixture.jdbc())).isEqualTo(before);
		return response;
	}

	private JsonNode adminGet(String path) {
		HttpResponse<String> response = this.server.get(this.server.adminClient(), path);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

	/** Certificates here expire in seconds; the test waits for the wall clock to pass. */
	private static void waitUntil(Instant instant) {
		while (Instant.now().isBefore(instant)) {
			try {
				Thread.sleep(Math.max(1, Duration.between(Instant.now(), instant).toMillis()));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

}
