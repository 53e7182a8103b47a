package io.tether.server;

import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.SpiffeId;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.tether.server.ServerScenarios.assertProblem;
import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workload leaves carry a subject of their own: the default derived from the SPIFFE ID,
 * or the one set on the entry, so that authorization servers matching client certificates
 * by subject DN tell workloads apart; subclasses pick H2 or PostgreSQL.
 */
abstract class LeafSubjectScenarios extends FixtureScenarios {

	private static final String TD = AgentApiScenarios.TD;

	@Test
	void leavesOfEachSpiffeIdGetTheirOwnDefaultSubjectAcrossRenewals() {
		ApiFixture.Agent agent = this.fixture.enroll(this.fixture.createToken("host-subj", "PT15M"), "host-subj");
		String web = this.fixture.createEntry("spiffe://" + TD + "/ns/web", "host-subj", List.of(), "PT1H");
		String api = this.fixture.createEntry("spiffe://" + TD + "/ns/api", "host-subj", List.of(), "PT1H");

		X509Certificate first = issue(agent, web, "spiffe://" + TD + "/ns/web");
		X509Certificate renewed = issue(agent, web, "spiffe://" + TD + "/ns/web");
		X509Certificate other = issue(agent, api, "spiffe://" + TD + "/ns/api");

		assertThat(first.getSubjectX500Principal().getName()).isEqualTo("CN=ns/web,O=" + TD);
		assertThat(renewed.getSubjectX500Principal().getEncoded())
			.isEqualTo(first.getSubjectX500Principal().getEncoded());
		assertThat(other.getSubjectX500Principal().getName()).isEqualTo("CN=ns/api,O=" + TD);
		assertThat(entry(web).get("subject").asString()).isEqualTo("CN=ns/web,O=" + TD);
	}

	@Test
	void adminIssuedLeafGetsTheDefaultSubject() {
		String spiffeId = "spiffe://" + TD + "/ns/batch";
		HttpResponse<String> response = this.server.postJson(this.server.adminClient(), "/v1/certificates",
				json.writeValueAsString(Map.of("csr",
						Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse(spiffeId), List.of()).toPem(), "spiffeId",
						spiffeId, "ttl", "5m")));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		X509Certificate leaf = Pem.readCertificates(json.readTree(response.body()).get("certificateChain").asString())
			.get(0);
		assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=ns/batch,O=" + TD);
	}

	@Test
	void subjectSetOnTheEntryIsEveryLeafsSubject() throws Exception {
		ApiFixture.Agent agent = this.fixture.enroll(this.fixture.createToken("host-own", "PT15M"), "host-own");
		HttpResponse<String> created = postEntry("spiffe://" + TD + "/ns/orders", "host-own",
				Map.of("subject", "CN=orders,OU=payments,O=Example Corp"));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		JsonNode body = json.readTree(created.body());
		assertThat(body.get("subject").asString()).isEqualTo("CN=orders,OU=payments,O=Example Corp");
		String id = body.get("id").asString();

		X509Certificate first = issue(agent, id, "spiffe://" + TD + "/ns/orders");
		X509Certificate renewed = issue(agent, id, "spiffe://" + TD + "/ns/orders");
		assertThat(first.getSubjectX500Principal().getName()).isEqualTo("CN=orders,OU=payments,O=Example Corp");
		assertThat(renewed.getSubjectX500Principal()).isEqualTo(first.getSubjectX500Principal());
		assertThat(first.getSubjectAlternativeNames()).containsExactly(List.of(6, "spiffe://" + TD + "/ns/orders"));

		JsonNode listed = json
			.readTree(this.server.get(this.server.adminClient(), "/v1/entries?agent=host-own").body());
		assertThat(listed.get("entries").get(0).get("subject").asString())
			.isEqualTo("CN=orders,OU=payments,O=Example Corp");
		// the same SPIFFE ID on a second agent: same subject accepted, another refused
		assertThat(postEntry("spiffe://" + TD + "/ns/orders", "host-own-2",
				Map.of("subject", "CN=orders,OU=payments,O=Example Corp"))
			.statusCode()).isEqualTo(201);
	}

	@Test
	void badSubjectsAreRefusedNamingTheFieldAndStoreNothing() {
		this.fixture.createEntry("spiffe://" + TD + "/ns/taken", "host-bad", List.of(), "PT1H");
		assertThat(postEntry("spiffe://" + TD + "/ns/claimed", "host-bad", Map.of("subject", "CN=claimed,O=Elsewhere"))
			.statusCode()).isEqualTo(201);
		Rows.Snapshot before = Rows.snapshot(this.fixture.jdbc());
		Map<String, String> badRequests = Map.of("not a DN", "not an RFC 4514", "CN=,O=Example", "has an empty CN",
				"CN=" + "x".repeat(65), "longer than 64 characters", "C=USA", "C 'USA' is longer than 2", "C=u1",
				"two upper-case letters", "CN=a+OU=b", "multi-valued", "CN=a,EMAILADDRESS=a@example.com",
				"allowed are CN", String.join(",", java.util.Collections.nCopies(11, "OU=x")), "at most 10",
				// the default rule's namespace: another SPIFFE ID's default subject
				"CN=ns/taken,O=" + TD, "must not use O=" + TD);
		for (Map.Entry<String, String> bad : badRequests.entrySet()) {
			HttpResponse<String> refused = postEntry("spiffe://" + TD + "/ns/bad", "host-bad",
					Map.of("subject", bad.getKey()));
			assertProblem(refused, 400, "bad-request");
			assertThat(json.readTree(refused.body()).get("detail").asString()).as(bad.getKey())
				.startsWith("'subject'")
				.contains(bad.getValue());
		}
		// another SPIFFE ID's own subject, and a second subject for one SPIFFE ID
		assertProblem(postEntry("spiffe://" + TD + "/ns/bad", "host-bad", Map.of("subject", "CN=claimed,O=Elsewhere")),
				409, "conflict");
		assertProblem(postEntry("spiffe://" + TD + "/ns/claimed", "host-bad-2", Map.of("subject", "CN=other")), 409,
				"conflict");
		assertProblem(postEntry("spiffe://" + TD + "/ns/claimed", "host-bad-2", Map.of()), 409, "conflict");
		assertThat(Rows.snapshot(this.fixture.jdbc())).isEqualTo(before);
	}

	@Test
	void entryMayNameItsOwnDefaultSubject() {
		HttpResponse<String> created = postEntry("spiffe://" + TD + "/ns/explicit", "host-explicit",
				Map.of("subject", "CN=ns/explicit,O=" + TD));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
	}

	private HttpResponse<String> postEntry(String spiffeId, String agent, Map<String, Object> extra) {
		Map<String, Object> body = new HashMap<>(extra);
		body.put("spiffeId", spiffeId);
		body.put("agent", agent);
		body.put("ttl", "PT1H");
		return this.server.postJson(this.server.adminClient(), "/v1/entries", json.writeValueAsString(body));
	}

	private JsonNode entry(String id) {
		return json.readTree(this.server.get(this.server.adminClient(), "/v1/entries/" + id).body());
	}

	private X509Certificate issue(ApiFixture.Agent agent, String entryId, String spiffeId) {
		String csr = Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse(spiffeId), List.of()).toPem();
		HttpResponse<String> issued = this.server.postJson(agent.client(), "/v1/agents/self/certificates",
				json.writeValueAsString(Map.of("entryId", entryId, "csr", csr)));
		assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
		return Pem.readCertificates(json.readTree(issued.body()).get("certificateChain").asString()).get(0);
	}

}
