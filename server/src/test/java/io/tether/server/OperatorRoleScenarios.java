package io.tether.server;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.SerialNumbers;
import io.tether.pki.SpiffeId;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.util.FileSystemUtils;

import static io.tether.server.ServerScenarios.assertProblem;
import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operators with roles: every admin endpoint called by every kind of caller (the
 * bootstrap admin, an admin, an operator and an auditor operator, an agent, no
 * certificate), each allowed or refused as its role says, a refusal changing no row;
 * revoked operators and certificates refused on their next call; enrollment tokens good
 * once. Subclasses pick H2 or PostgreSQL.
 */
abstract class OperatorRoleScenarios extends FixtureScenarios {

	private static final String TD = AgentApiScenarios.TD;

	private static final AtomicInteger counter = new AtomicInteger();

	/** Who calls: a role, or none for a caller that is no operator. */
	record Caller(String label, String role, HttpClient client, KeyPair keys, List<X509Certificate> chain) {

		boolean has(String required) {
			List<String> order = List.of("auditor", "operator", "admin");
			return this.role != null && order.indexOf(this.role) >= order.indexOf(required);
		}

	}

	/** One endpoint: the least role it needs and a request made fresh for each call. */
	record Endpoint(String name, String role, Function<Caller, HttpRequest> request) {
	}

	@Test
	void everyRoleIsAllowedExactlyWhatItsRoleAllowsAndARefusalChangesNothing() {
		List<Caller> callers = callers();
		for (Endpoint endpoint : endpoints()) {
			for (Caller caller : callers) {
				HttpRequest request = endpoint.request().apply(caller);
				Rows.Snapshot before = rows();
				HttpResponse<String> response = RunningServer.send(caller.client(), request);
				String what = caller.label() + " -> " + endpoint.name() + ": " + response.body();
				String refusal = expectedRefusal(endpoint, caller);
				if (refusal == null) {
					assertThat(response.statusCode()).as(what).isBetween(200, 299);
				}
				else {
					int status = refusal.equals("client-certificate-required") ? 401 : 403;
					assertThat(response.statusCode()).as(what).isEqualTo(status);
					assertProblem(response, status, refusal);
					assertThat(rows()).as(what).isEqualTo(before);
				}
			}
		}
	}

	private static String expectedRefusal(Endpoint endpoint, Caller caller) {
		if (caller.label().equals("anonymous")) {
			return "client-certificate-required";
		}
		if (caller.role() == null) {
			return "not-admin";
		}
		if (!caller.has(endpoint.role())) {
			return "forbidden-role";
		}
		// the bootstrap admin's certificate renews at its own endpoint, operators' at
		// theirs: neither turns into the other
		if (endpoint.name().equals("POST /v1/admin/renew") && !caller.label().equals("bootstrap-admin")) {
			return "not-admin";
		}
		if (endpoint.name().equals("POST /v1/operators/renew") && caller.label().equals("bootstrap-admin")) {
			return "not-admin";
		}
		return null;
	}

	@Test
	void theAuditLogNamesTheOperatorAndItsChainStillVerifies() {
		Caller operator = enrollOperator("op-audited-" + counter.incrementAndGet(), "operator");
		String agent = "host-audited-" + counter.incrementAndGet();
		HttpResponse<String> created = this.server.postJson(operator.client(), "/v1/join-tokens",
				json.writeValueAsString(Map.of("agent", agent)));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		JsonNode events = adminGet("/v1/audit?action=join-token.created&limit=1000").get("events");
		List<String> actors = new ArrayList<>();
		events.forEach((event) -> {
			if (event.get("detail").asString().contains("agent=" + agent + " ")) {
				actors.add(event.get("actor").asString());
			}
		});
		assertThat(actors).containsExactly(operator.label());
		// the bootstrap admin is still named by its SPIFFE ID
		JsonNode created2 = adminGet("/v1/audit?action=operator.created&limit=1000").get("events");
		List<String> creators = new ArrayList<>();
		created2.forEach((event) -> {
			if (event.get("subject").asString().equals(operator.label())) {
				creators.add(event.get("actor").asString());
			}
		});
		assertThat(creators).containsExactly("spiffe://" + TD + "/tether/admin");
		awaitVerified(operator.client());
	}

	@Test
	void aRevokedOperatorIsRefusedOnItsNextCall() {
		Caller operator = enrollOperator("op-revoked-" + counter.incrementAndGet(), "operator");
		assertThat(this.server.get(operator.client(), "/v1/status").statusCode()).isEqualTo(200);
		String serial = SerialNumbers.toHex(operator.chain().get(0).getSerialNumber());
		HttpResponse<String> revoked = this.server.postJson(this.server.adminClient(),
				"/v1/operators/" + operator.label() + "/revoke", "");
		assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
		JsonNode body = json.readTree(revoked.body());
		assertThat(body.get("operator").get("state").asString()).isEqualTo("revoked");
		assertThat(body.get("revokedCertificates").asInt()).isEqualTo(1);
		assertThat(adminGet("/v1/certificates/" + serial).get("status").asString()).isEqualTo("revoked");

		Rows.Snapshot before = rows();
		assertProblem(this.server.get(operator.client(), "/v1/status"), 403, "operator-revoked");
		assertProblem(this.server.postJson(operator.client(), "/v1/join-tokens",
				json.writeValueAsString(Map.of("agent", "host-after-revocation"))), 403, "operator-revoked");
		assertProblem(
				this.server.postJson(operator.client(), "/v1/operators/renew",
						json.writeValueAsString(Map.of("csr", operatorCsr(operator.keys(), operator.label())))),
				403, "operator-revoked");
		assertThat(rows()).isEqualTo(before);
		// revoked once; the name is not reused
		assertProblem(
				this.server.postJson(this.server.adminClient(), "/v1/operators/" + operator.label() + "/revoke", ""),
				409, "conflict");
		assertProblem(this.server.postJson(this.server.adminClient(), "/v1/operators",
				json.writeValueAsString(Map.of("name", operator.label(), "role", "auditor"))), 409, "conflict");
		assertThat(rows()).isEqualTo(before);
	}

	@Test
	void aRevokedCertificateOfAnActiveOperatorIsRefusedAndItsRenewedOneIsNot() {
		Caller operator = enrollOperator("op-renewing-" + counter.incrementAndGet(), "auditor");
		HttpResponse<String> renewed = this.server.postJson(operator.client(), "/v1/operators/renew",
				json.writeValueAsString(Map.of("csr", operatorCsr(operator.keys(), operator.label()))));
		assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
		List<X509Certificate> renewedChain = Pem
			.readCertificates(json.readTree(renewed.body()).get("certificateChain").asString());
		assertThat(SpiffeId.of(renewedChain.get(0)).orElseThrow().toString())
			.isEqualTo("spiffe://" + TD + "/tether/operator/" + operator.label());
		String serial = SerialNumbers.toHex(operator.chain().get(0).getSerialNumber());
		// an operator's certificates go with the operator, not one by one
		Rows.Snapshot before = rows();
		assertProblem(this.server.postJson(this.server.adminClient(), "/v1/certificates/" + serial + "/revoke", "{}"),
				403, "not-revocable");
		assertThat(rows()).isEqualTo(before);
		// revoked as another replica would, in the database every replica reads
		assertThat(this.fixture.jdbc()
			.update("update certificate set status = 'REVOKED', revoked_at = current_timestamp, "
					+ "revocation_reason = 'keyCompromise' where serial_number = ?", serial))
			.isEqualTo(1);
		assertProblem(this.server.get(operator.client(), "/v1/status"), 403, "certificate-revoked");
		HttpClient renewedClient = this.server.clientWith(operator.keys().getPrivate(), renewedChain);
		assertThat(this.server.get(renewedClient, "/v1/status").statusCode()).isEqualTo(200);
	}

	@Test
	void anEnrollmentTokenEnrollsOnceOnly() {
		String name = "op-once-" + counter.incrementAndGet();
		String token = createOperator(name, "auditor");
		// a refused CSR leaves the token unused
		Rows.Snapshot before = rows();
		assertProblem(enrollRequest(token, "not a csr"), 400, "invalid-csr");
		assertProblem(enrollRequest(
				token.substring(0, token.lastIndexOf('.') - 1) + "x" + token.substring(token.lastIndexOf('.')),
				operatorCsr(KeyType.EC_P256.generate(), name)), 401, "invalid-enrollment-token");
		assertThat(rows()).isEqualTo(before);

		KeyPair keys = KeyType.EC_P256.generate();
		HttpResponse<String> first = enrollRequest(token, operatorCsr(keys, name));
		assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
		JsonNode enrolled = json.readTree(first.body());
		assertThat(enrolled.get("name").asString()).isEqualTo(name);
		assertThat(enrolled.get("role").asString()).isEqualTo("auditor");
		assertThat(enrolled.get("spiffeId").asString()).isEqualTo("spiffe://" + TD + "/tether/operator/" + name);

		Rows.Snapshot afterFirst = rows();
		HttpResponse<String> second = enrollRequest(token, operatorCsr(KeyType.EC_P256.generate(), name));
		assertProblem(second, 401, "invalid-enrollment-token");
		assertThat(rows()).isEqualTo(afterFirst);
		JsonNode listed = adminGet("/v1/operators/" + name);
		assertThat(listed.get("enrolledAt").isNull()).isFalse();
		assertThat(listed.get("state").asString()).isEqualTo("active");
	}

	@Test
	void anExpiredEnrollmentTokenEnrollsNothing() {
		String name = "op-late-" + counter.incrementAndGet();
		String token = createOperator(name, "auditor");
		// as if the hour had passed
		assertThat(this.fixture.jdbc()
			.update("update operator_account set token_expires_at = ? where name = ?",
					java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(1)), name))
			.isEqualTo(1);
		Rows.Snapshot before = rows();
		HttpResponse<String> refused = enrollRequest(token, operatorCsr(KeyType.EC_P256.generate(), name));
		assertProblem(refused, 401, "invalid-enrollment-token");
		assertThat(json.readTree(refused.body()).get("detail").asString()).contains("expired");
		assertThat(rows()).isEqualTo(before);
	}

	@Test
	void aNewTokenEnrollsTheOperatorAgainAndEndsItsEarlierCertificates() {
		Caller first = enrollOperator("op-again-" + counter.incrementAndGet(), "operator");
		HttpResponse<String> created = this.server.postJson(this.server.adminClient(),
				"/v1/operators/" + first.label() + "/token", "");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String token = json.readTree(created.body()).get("token").asString();
		assertThat(token).startsWith("to1." + first.label() + ".");
		// the new token alone changes nothing for the certificate in use
		assertThat(this.server.get(first.client(), "/v1/status").statusCode()).isEqualTo(200);

		KeyPair keys = KeyType.EC_P256.generate();
		HttpResponse<String> enrolled = enrollRequest(token, operatorCsr(keys, first.label()));
		assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(200);
		List<X509Certificate> chain = Pem
			.readCertificates(json.readTree(enrolled.body()).get("certificateChain").asString());
		assertProblem(this.server.get(first.client(), "/v1/status"), 403, "certificate-revoked");
		HttpClient second = this.server.clientWith(keys.getPrivate(), chain);
		assertThat(this.server.get(second, "/v1/status").statusCode()).isEqualTo(200);
		assertProblem(enrollRequest(token, operatorCsr(KeyType.EC_P256.generate(), first.label())), 401,
				"invalid-enrollment-token");

		assertThat(this.server.postJson(this.server.adminClient(), "/v1/operators/" + first.label() + "/revoke", "")
			.statusCode()).isEqualTo(200);
		Rows.Snapshot before = rows();
		assertProblem(this.server.postJson(this.server.adminClient(), "/v1/operators/" + first.label() + "/token", ""),
				409, "conflict");
		assertProblem(this.server.postJson(this.server.adminClient(), "/v1/operators/nobody/token", ""), 404,
				"not-found");
		assertThat(rows()).isEqualTo(before);
	}

	@Test
	void badOperatorRequestsAreRefusedAndChangeNothing() {
		Rows.Snapshot before = rows();
		for (Map<String, String> body : List.of(Map.of("name", "Bad Name", "role", "auditor"),
				Map.of("name", "ok-name", "role", "root"), Map.of("name", "a.b", "role", "auditor"),
				Map.of("name", "tether-server", "role", "admin"), Map.of("name", "only-name"))) {
			assertProblem(
					this.server.postJson(this.server.adminClient(), "/v1/operators", json.writeValueAsString(body)),
					400, "bad-request");
		}
		assertProblem(this.server.postJson(this.server.adminClient(), "/v1/operators/nobody/revoke", ""), 404,
				"not-found");
		assertThat(rows()).isEqualTo(before);
	}

	@Test
	void anAdminCannotRevokeItself() {
		Caller admin = enrollOperator("op-self-" + counter.incrementAndGet(), "admin");
		Rows.Snapshot before = rows();
		assertProblem(this.server.postJson(admin.client(), "/v1/operators/" + admin.label() + "/revoke", ""), 409,
				"conflict");
		assertThat(rows()).isEqualTo(before);
	}

	@Test
	void aRetiredBootstrapAdminIsRefusedWhileNamedAdminsWork() throws Exception {
		Path workDir = Files.createTempDirectory("tether-retire-it");
		Path dataDir = workDir.resolve("data");
		try (ServerScenarios.Database database = newDatabase()) {
			Map<String, Object> settings = new java.util.HashMap<>(database.properties());
			settings.put("tether.trust-domain", TD);
			PrivateKey key;
			List<X509Certificate> chain;
			try (RunningServer first = RunningServer.start(dataDir, settings)) {
				HttpResponse<String> created = first.postJson(first.adminClient(), "/v1/operators",
						json.writeValueAsString(Map.of("name", "successor", "role", "admin")));
				assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
				KeyPair keys = KeyType.EC_P256.generate();
				HttpResponse<String> enrolled = first.postJson(first.anonymousClient(), "/v1/operators/enroll",
						json.writeValueAsString(Map.of("token", json.readTree(created.body()).get("token").asString(),
								"csr", operatorCsr(keys, "successor"))));
				assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(200);
				key = keys.getPrivate();
				chain = Pem.readCertificates(json.readTree(enrolled.body()).get("certificateChain").asString());
			}
			settings.put("tether.admin.retired", "true");
			try (RunningServer second = RunningServer.start(dataDir, settings)) {
				assertProblem(second.get(second.adminClient(), "/v1/status"), 403, "operator-revoked");
				HttpClient successor = second.clientWith(key, chain);
				assertThat(second.get(successor, "/v1/status").statusCode()).isEqualTo(200);
				HttpResponse<String> token = second.postJson(successor, "/v1/join-tokens",
						json.writeValueAsString(Map.of("agent", "host-after-retirement")));
				assertThat(token.statusCode()).as(token.body()).isEqualTo(201);
			}
		}
		finally {
			FileSystemUtils.deleteRecursively(workDir.toFile());
		}
	}

	private List<Caller> callers() {
		List<Caller> callers = new ArrayList<>();
		PrivateKey adminKey = Pem.readPrivateKey(RunningServer.read(this.server.adminDir().resolve("admin-key.pem")));
		List<X509Certificate> adminChain = Pem
			.readCertificates(RunningServer.read(this.server.adminDir().resolve("admin-cert.pem")));
		callers.add(new Caller("bootstrap-admin", "admin", this.server.adminClient(),
				new KeyPair(adminChain.get(0).getPublicKey(), adminKey), adminChain));
		for (String role : List.of("admin", "operator", "auditor")) {
			callers.add(enrollOperator("matrix-" + role, role));
		}
		String agent = "host-matrix";
		ApiFixture.Agent enrolled = this.fixture.enroll(this.fixture.createToken(agent, "PT15M"), agent);
		callers.add(new Caller("agent", null, enrolled.client(), enrolled.keys(), enrolled.chain()));
		callers
			.add(new Caller("anonymous", null, this.server.anonymousClient(), KeyType.EC_P256.generate(), List.of()));
		return callers;
	}

	private List<Endpoint> endpoints() {
		String entryId = this.fixture.createEntry("spiffe://" + TD + "/ns/matrix-read", "host-matrix", List.of(),
				"PT1H");
		String serial = issueAsAdmin("/ns/matrix-read");
		return List
			.of(get("/v1/status"), get("/v1/ca"), get("/v1/entries"), get("/v1/entries/" + entryId),
					get("/v1/certificates"), get("/v1/certificates/" + serial), get("/v1/agents"),
					get("/v1/agents/host-matrix"), get("/v1/audit"), get("/v1/audit/verify"), get("/v1/audit/export"),
					get("/v1/operators"), get("/v1/operators/matrix-auditor"),
					new Endpoint("POST /v1/entries", "operator",
							(caller) -> post("/v1/entries", Map.of("spiffeId",
									"spiffe://" + TD + "/ns/matrix-"
											+ counter.incrementAndGet(),
									"agent", "host-matrix"))),
					new Endpoint("DELETE /v1/entries/{id}", "operator",
							(caller) -> HttpRequest
								.newBuilder(this.server.uri("/v1/entries/" + this.fixture.createEntry(
										"spiffe://" + TD + "/ns/matrix-delete-" + counter.incrementAndGet(),
										"host-matrix", List.of(), "PT1H")))
								.DELETE()
								.build()),
					new Endpoint("POST /v1/certificates", "operator", (caller) -> {
						String spiffeId = "spiffe://" + TD + "/ns/matrix-issue-" + counter.incrementAndGet();
						return post("/v1/certificates", Map.of("csr",
								Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse(spiffeId), List.of()).toPem(),
								"spiffeId", spiffeId, "ttl", "5m"));
					}),
					new Endpoint("POST /v1/certificates/{serial}/revoke", "operator",
							(caller) -> post("/v1/certificates/"
									+ issueAsAdmin("/ns/matrix-revoke-" + counter.incrementAndGet()) + "/revoke",
									Map.of("reason", "keyCompromise"))),
					new Endpoint("POST /v1/agents/{name}/evict", "operator", (caller) -> {
						String agent = "host-evict-" + counter.incrementAndGet();
						this.fixture.enroll(this.fixture.createToken(agent, "PT15M"), agent);
						return post("/v1/agents/" + agent + "/evict", null);
					}),
					new Endpoint(
							"POST /v1/join-tokens", "operator", (caller) -> post("/v1/join-tokens",
									Map.of("agent", "host-" + counter.incrementAndGet()))),
					new Endpoint(
							"POST /v1/ca/rotate", "admin", (caller) -> post("/v1/ca/rotate",
									Map.of("kind", "intermediate"))),
					new Endpoint("POST /v1/admin/renew", "admin",
							(caller) -> post("/v1/admin/renew", Map.of("csr",
									Csr.create(caller.keys(), SpiffeId.parse("spiffe://" + TD + "/tether/admin"),
											List.of())
										.toPem()))),
					new Endpoint("POST /v1/operators", "admin",
							(caller) -> post("/v1/operators",
									Map.of("name", "matrix-new-" + counter.incrementAndGet(), "role", "auditor"))),
					new Endpoint("POST /v1/operators/{name}/token", "admin", (caller) -> {
						String name = "matrix-retoken-" + counter.incrementAndGet();
						createOperator(name, "auditor");
						return post("/v1/operators/" + name + "/token", null);
					}), new Endpoint("POST /v1/operators/{name}/revoke", "admin", (caller) -> {
						String name = "matrix-victim-" + counter.incrementAndGet();
						enrollOperator(name, "auditor");
						return post("/v1/operators/" + name + "/revoke", null);
					}), new Endpoint("POST /v1/operators/renew", "auditor", (caller) -> post("/v1/operators/renew",
							Map.of("csr", operatorCsr(caller.keys(), "renewing")))));
	}

	private Endpoint get(String path) {
		return new Endpoint("GET " + path, "auditor",
				(caller) -> HttpRequest.newBuilder(this.server.uri(path)).GET().build());
	}

	private HttpRequest post(String path, Map<String, String> body) {
		return HttpRequest.newBuilder(this.server.uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString((body != null) ? json.writeValueAsString(body) : ""))
			.build();
	}

	private Caller enrollOperator(String name, String role) {
		String token = createOperator(name, role);
		KeyPair keys = KeyType.EC_P256.generate();
		HttpResponse<String> response = enrollRequest(token, operatorCsr(keys, name));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		List<X509Certificate> chain = Pem
			.readCertificates(json.readTree(response.body()).get("certificateChain").asString());
		return new Caller(name, role, this.server.clientWith(keys.getPrivate(), chain), keys, chain);
	}

	private String createOperator(String name, String role) {
		HttpResponse<String> response = this.server.postJson(this.server.adminClient(), "/v1/operators",
				json.writeValueAsString(Map.of("name", name, "role", role)));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		JsonNode created = json.readTree(response.body());
		assertThat(created.get("token").asString()).startsWith("to1." + name + ".");
		return created.get("token").asString();
	}

	private HttpResponse<String> enrollRequest(String token, String csr) {
		return this.server.postJson(this.server.anonymousClient(), "/v1/operators/enroll",
				json.writeValueAsString(Map.of("token", token, "csr", csr)));
	}

	private static String operatorCsr(KeyPair keys, String name) {
		return Csr.create(keys, SpiffeId.parse("spiffe://" + TD + "/tether/operator/" + name), List.of()).toPem();
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

	private JsonNode adminGet(String path) {
		HttpResponse<String> response = this.server.get(this.server.adminClient(), path);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

	/** The sealer chains events a second or so after they are written. */
	private void awaitVerified(HttpClient client) {
		long deadline = System.nanoTime() + 30_000_000_000L;
		JsonNode verification;
		do {
			HttpResponse<String> response = this.server.get(client, "/v1/audit/verify");
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			verification = json.readTree(response.body());
		}
		while (!(verification.get("ok").asBoolean() && verification.get("unsealed").asLong() == 0)
				&& System.nanoTime() < deadline);
		assertThat(verification.get("ok").asBoolean()).as(verification.toString()).isTrue();
		assertThat(verification.get("unsealed").asLong()).as(verification.toString()).isZero();
	}

	private Rows.Snapshot rows() {
		return Rows.snapshot(this.fixture.jdbc());
	}

}
