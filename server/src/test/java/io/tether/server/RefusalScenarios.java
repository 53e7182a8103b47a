package io.tether.server;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.SerialNumbers;
import io.tether.pki.SpiffeId;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.tether.server.ServerScenarios.assertProblem;
import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every refusal is a problem document and changes nothing: the cases outside testing
 * found, each asserted on the status, the problem type and the rows of every table;
 * subclasses pick H2 or PostgreSQL.
 */
abstract class RefusalScenarios extends FixtureScenarios {

	private static final String TD = AgentApiScenarios.TD;

	@Test
	void enrollmentRefusedForItsAcceptHeaderLeavesTheTokenUnused() {
		String token = this.fixture.createToken("host-accept", "PT15M");
		String body = json.writeValueAsString(
				Map.of("joinToken", token, "csr", ApiFixture.csr(KeyType.EC_P256.generate(), "host-accept")));
		Rows.Snapshot before = rows();
		HttpResponse<String> refused = RunningServer.send(this.server.anonymousClient(),
				post("/v1/agents/enroll", body).header("Accept", "text/html").build());
		assertProblem(refused, 406, "not-acceptable");
		assertThat(rows()).isEqualTo(before);
		// the token was not consumed: the agent still enrolls with it
		this.fixture.enroll(token, "host-accept");
	}

	@Test
	void adminWritesRefusedForTheirAcceptHeaderChangeNothing() {
		KeyPair keys = KeyType.EC_P256.generate();
		String spiffeId = "spiffe://" + TD + "/ns/accept";
		Map<String, String> requests = Map.of("/v1/certificates",
				json.writeValueAsString(Map.of("csr", Csr.create(keys, SpiffeId.parse(spiffeId), List.of()).toPem(),
						"spiffeId", spiffeId, "ttl", "5m")),
				"/v1/entries", json.writeValueAsString(Map.of("spiffeId", spiffeId, "agent", "host-accept-entry")),
				"/v1/join-tokens", json.writeValueAsString(Map.of("agent", "host-accept-token")));
		Rows.Snapshot before = rows();
		for (Map.Entry<String, String> request : requests.entrySet()) {
			for (String accept : List.of("text/html", "application/xml", "text/plain, image/*")) {
				HttpResponse<String> refused = RunningServer.send(this.server.adminClient(),
						post(request.getKey(), request.getValue()).header("Accept", accept).build());
				assertProblem(refused, 406, "not-acceptable");
			}
		}
		assertThat(rows()).isEqualTo(before);
		// what a JSON client accepts still goes through
		for (String accept : List.of("application/json", "*/*", "application/*", "text/html, application/json;q=0.5")) {
			HttpResponse<String> accepted = RunningServer.send(this.server.adminClient(),
					post("/v1/join-tokens", json.writeValueAsString(Map.of("agent", "host-accept-ok")))
						.header("Accept", accept)
						.build());
			assertThat(accepted.statusCode()).as(accept + " " + accepted.body()).isEqualTo(201);
		}
	}

	@Test
	void revocationRefusedForItsAcceptHeaderRevokesNothing() {
		String serial = issueAsAdmin("/ns/accept-revoke");
		Rows.Snapshot before = rows();
		HttpResponse<String> refused = RunningServer.send(this.server.adminClient(),
				post("/v1/certificates/" + serial + "/revoke", "{\"reason\":\"keyCompromise\"}")
					.header("Accept", "text/html")
					.build());
		assertProblem(refused, 406, "not-acceptable");
		assertThat(rows()).isEqualTo(before);
	}

	@Test
	void aContentTypeThatIsAPatternOrGarbageIsUnsupportedAndRevokesNothing() {
		String serial = issueAsAdmin("/ns/content-type");
		Rows.Snapshot before = rows();
		for (String contentType : List.of("application/*", "*/*", "json", "application/")) {
			HttpResponse<String> refused = RunningServer.send(this.server.adminClient(),
					HttpRequest.newBuilder(this.server.uri("/v1/certificates/" + serial + "/revoke"))
						.header("Content-Type", contentType)
						.POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"keyCompromise\"}"))
						.build());
			assertProblem(refused, 415, "unsupported-media-type");
		}
		assertThat(rows()).isEqualTo(before);
	}

	@Test
	void aFormBodyIsParsedByNothingAndRefusedCleanly() {
		Rows.Snapshot before = rows();
		String entry = this.fixture.createEntry("spiffe://" + TD + "/ns/form", "host-form", List.of(), "PT5M");
		Rows.Snapshot withEntry = rows();
		for (String method : List.of("PUT", "PATCH", "DELETE")) {
			for (String path : List.of("/v1/bundle", "/v1/entries/" + entry)) {
				HttpResponse<String> refused = RunningServer.send(this.server.anonymousClient(),
						HttpRequest.newBuilder(this.server.uri(path))
							.header("Content-Type", "application/x-www-form-urlencoded")
							.method(method, HttpRequest.BodyPublishers.ofString("a=%zz&b=%"))
							.build());
				assertThat(refused.statusCode()).as(method + " " + path).isBetween(400, 499);
				assertThat(refused.headers().firstValue("Content-Type")).as(method + " " + path)
					.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			}
		}
		assertThat(rows()).isEqualTo(withEntry).isNotEqualTo(before);
	}

	@Test
	void revokingAnAgentsKeyAsCompromisedShutsOutEveryCertificateWithThatKey() {
		ApiFixture.Agent agent = this.fixture.enroll(this.fixture.createToken("host-key", "PT15M"), "host-key");
		String renewCsr = Csr.create(agent.keys(), SpiffeId.parse("spiffe://" + TD + "/agent/host-key"), List.of())
			.toPem();
		HttpResponse<String> renewed = this.server.postJson(agent.client(), "/v1/agents/self/renew",
				json.writeValueAsString(Map.of("csr", renewCsr)));
		assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
		String newSerial = json.readTree(renewed.body()).get("serialNumber").asString();
		HttpResponse<String> revoked = this.server.postJson(this.server.adminClient(),
				"/v1/certificates/" + newSerial + "/revoke", "{\"reason\":\"keyCompromise\"}");
		assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
		// the enrollment certificate carries the same key: it is refused too
		assertProblem(this.server.get(agent.client(), "/v1/agents/self/entries"), 403, "certificate-revoked");
		HttpResponse<String> first = this.server.get(this.server.adminClient(),
				"/v1/certificates/" + SerialNumbers.toHex(agent.chain().get(0).getSerialNumber()));
		assertThat(json.readTree(first.body()).get("revocationReason").asString()).isEqualTo("keyCompromise");
	}

	@Test
	void malformedQueryStringsOnThePublicBundleAreBadRequests() {
		for (String query : List.of("?=x", "?a=%zz", "?a=%", "?%zz=1", "?intermediates=maybe")) {
			RawHttp.Response response = RawHttp.get(this.server, "/v1/bundle" + query);
			assertThat(response.status()).as(query + " " + response.body()).isEqualTo(400);
			assertThat(response.contentType()).as(query).startsWith("application/problem+json");
			assertThat(json.readTree(response.body()).get("type").asString())
				.isEqualTo("urn:tether:problem:bad-request");
		}
	}

	@Test
	void durationsAndInstantsBeyondAnyTimestampAreBadRequests() {
		for (String path : List.of("/v1/certificates?expiringWithin=P99999999999D",
				"/v1/certificates?expiringWithin=9999999999999d", "/v1/audit?since=P99999999999D",
				"/v1/audit?since=%2B999999999-12-31T23:59:59Z", "/v1/audit?since=-999999999-01-01T00:00:00Z")) {
			assertProblem(this.server.get(this.server.adminClient(), path), 400, "bad-request");
		}
		// a long but representable window still works
		assertThat(this.server.get(this.server.adminClient(), "/v1/certificates?expiringWithin=P3650D").statusCode())
			.isEqualTo(200);
	}

	@Test
	void nulBytesInQueriesAndJoinTokensAreBadRequests() {
		String token = this.fixture.createToken("host-nul", "PT15M");
		Rows.Snapshot before = rows();
		for (String path : List.of("/v1/entries?agent=a%00", "/v1/certificates?spiffeId=spiffe://x/%00",
				"/v1/audit?action=x%00y", "/v1/entries?agent=%01")) {
			assertProblem(this.server.get(this.server.adminClient(), path), 400, "bad-request");
		}
		String csr = ApiFixture.csr(KeyType.EC_P256.generate(), "host-nul");
		for (String forged : List.of(token + "\u0000", "\u0000" + token, token.replace(".", ".\u0000"))) {
			assertProblem(this.fixture.enrollRequest(forged, csr), 400, "bad-request");
		}
		assertThat(rows()).isEqualTo(before);
		this.fixture.enroll(token, "host-nul");
	}

	@Test
	void entryWithTheMostDnsNamesAllowedIsStoredAndIssuedFor() {
		List<String> names = longDnsNames(100);
		assertThat(names).allSatisfy((name) -> assertThat(name).hasSize(253));
		ApiFixture.Agent agent = this.fixture.enroll(this.fixture.createToken("host-many", "PT15M"), "host-many");
		String entry = this.fixture.createEntry("spiffe://" + TD + "/ns/many", "host-many", names, "PT5M");
		String csr = Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse("spiffe://" + TD + "/ns/many"), names)
			.toPem();
		HttpResponse<String> issued = this.server.postJson(agent.client(), "/v1/agents/self/certificates",
				json.writeValueAsString(Map.of("entryId", entry, "csr", csr)));
		assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
		JsonNode record = json.readTree(
				this.server
					.get(this.server.adminClient(),
							"/v1/certificates/" + json.readTree(issued.body()).get("serialNumber").asString())
					.body());
		assertThat(record.get("dnsNames")).hasSize(100);

		Rows.Snapshot before = rows();
		List<String> tooMany = longDnsNames(101);
		HttpResponse<String> refused = this.server
			.postJson(this.server.adminClient(), "/v1/entries", json.writeValueAsString(
					Map.of("spiffeId", "spiffe://" + TD + "/ns/too-many", "agent", "host-many", "dnsNames", tooMany)));
		assertProblem(refused, 400, "invalid-dns-name");
		assertThat(rows()).isEqualTo(before);
	}

	@Test
	void requestsTomcatRefusesAreProblemDocumentsToo() {
		List<String> paths = new ArrayList<>(List.of("/v1/certificates/%ff", "/v1/agents/%00", "/v1/entries/%00",
				"/v1/status?" + "a".repeat(10_000), "/v1/bundle%00"));
		for (String path : paths) {
			RawHttp.Response response = RawHttp.get(this.server, path);
			assertThat(response.status()).as(path).isEqualTo(400);
			assertThat(response.contentType()).as(path + " " + response.body()).startsWith("application/problem+json");
			JsonNode problem = json.readTree(response.body());
			assertThat(problem.get("type").asString()).isEqualTo("urn:tether:problem:bad-request");
			assertThat(problem.get("status").asInt()).isEqualTo(400);
			assertThat(response.body()).doesNotContain("Tomcat").doesNotContain("<html");
		}
		RawHttp.Response header = RawHttp.send(this.server, "GET /v1/bundle HTTP/1.1\r\nHost: localhost\r\nX-Big: "
				+ "b".repeat(20_000) + "\r\nConnection: close\r\n\r\n");
		assertThat(header.status()).isEqualTo(400);
		assertThat(header.contentType()).as(header.body()).startsWith("application/problem+json");
	}

	@Test
	void lenientJsonIsRefusedAndChangesNothing() {
		String spiffeId = "spiffe://" + TD + "/ns/strict";
		String csr = Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse(spiffeId), List.of()).toPem();
		Rows.Snapshot before = rows();
		Map<String, String> bodies = Map.of("duplicate member",
				"{\"spiffeId\":\"" + spiffeId + "\",\"agent\":\"host-a\",\"agent\":\"host-b\"}", "boolean for a string",
				"{\"spiffeId\":\"" + spiffeId + "\",\"agent\":true}", "number for a string",
				"{\"spiffeId\":\"" + spiffeId + "\",\"agent\":42}", "object for a string",
				"{\"spiffeId\":{\"x\":1},\"agent\":\"host-a\"}", "unknown member (a typo)",
				"{\"spiffeId\":\"" + spiffeId + "\",\"agent\":\"host-a\",\"tll\":\"1h\"}", "trailing content",
				"{\"spiffeId\":\"" + spiffeId + "\",\"agent\":\"host-a\"} {}", "string for a list",
				"{\"spiffeId\":\"" + spiffeId + "\",\"agent\":\"host-a\",\"dnsNames\":\"a.example\"}");
		for (Map.Entry<String, String> body : bodies.entrySet()) {
			HttpResponse<String> refused = this.server.postJson(this.server.adminClient(), "/v1/entries",
					body.getValue());
			assertProblem(refused, 400, "bad-request");
			assertThat(json.readTree(refused.body()).get("detail").asString()).as(body.getKey())
				.doesNotContain("io.tether")
				.doesNotContain("java.lang");
		}
		String twoCsrs = csr + Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse(spiffeId), List.of()).toPem();
		for (String pem : List.of(twoCsrs, "\u0000" + csr, csr + "\u0000", "junk\n" + csr, csr + "-----END x")) {
			HttpResponse<String> refused = this.server.postJson(this.server.adminClient(), "/v1/certificates",
					json.writeValueAsString(Map.of("csr", pem, "spiffeId", spiffeId, "ttl", "5m")));
			assertThat(refused.statusCode()).as(pem).isEqualTo(400);
			assertThat(json.readTree(refused.body()).get("type").asString()).as(pem)
				.isIn("urn:tether:problem:invalid-csr", "urn:tether:problem:bad-request");
		}
		assertThat(rows()).isEqualTo(before);
	}

	@Test
	void revokedAgentCertificateNoLongerListsObtainsOrRenews() {
		ApiFixture.Agent agent = this.fixture.enroll(this.fixture.createToken("host-revoked", "PT15M"), "host-revoked");
		String entry = this.fixture.createEntry("spiffe://" + TD + "/ns/revoked", "host-revoked", List.of(), "PT5M");
		String serial = SerialNumbers.toHex(agent.chain().get(0).getSerialNumber());
		HttpResponse<String> revoked = this.server.postJson(this.server.adminClient(),
				"/v1/certificates/" + serial + "/revoke", "{\"reason\":\"keyCompromise\"}");
		assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);

		Rows.Snapshot before = rows();
		assertProblem(this.server.get(agent.client(), "/v1/agents/self/entries"), 403, "certificate-revoked");
		String workloadCsr = Csr
			.create(KeyType.EC_P256.generate(), SpiffeId.parse("spiffe://" + TD + "/ns/revoked"), List.of())
			.toPem();
		assertProblem(
				this.server.postJson(agent.client(), "/v1/agents/self/certificates",
						json.writeValueAsString(Map.of("entryId", entry, "csr", workloadCsr))),
				403, "certificate-revoked");
		String renewCsr = Csr.create(agent.keys(), SpiffeId.parse("spiffe://" + TD + "/agent/host-revoked"), List.of())
			.toPem();
		assertProblem(this.server.postJson(agent.client(), "/v1/agents/self/renew",
				json.writeValueAsString(Map.of("csr", renewCsr))), 403, "certificate-revoked");
		assertThat(rows()).isEqualTo(before);
	}

	private String issueAsAdmin(String path) {
		String spiffeId = "spiffe://" + TD + path;
		HttpResponse<String> issued = this.server.postJson(this.server.adminClient(), "/v1/certificates",
				json.writeValueAsString(Map.of("csr",
						Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse(spiffeId), List.of()).toPem(), "spiffeId",
						spiffeId, "ttl", "5m")));
		assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
		return json.readTree(issued.body()).get("serialNumber").asString();
	}

	/**
	 * Distinct DNS names of the longest length allowed, 253 characters: labels of 63, 63,
	 * 63 and 61 characters.
	 */
	static List<String> longDnsNames(int count) {
		List<String> names = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String first = String.format("n%03d", i) + "a".repeat(59);
			names.add(first + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61));
		}
		return names;
	}

	private HttpRequest.Builder post(String path, String body) {
		return HttpRequest.newBuilder(this.server.uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

	private Rows.Snapshot rows() {
		return Rows.snapshot(this.fixture.jdbc());
	}

}
