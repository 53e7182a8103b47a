package io.tether.server;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.SpiffeId;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.tether.server.AgentApiScenarios.TD;
import static io.tether.server.ServerScenarios.assertProblem;
import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code DELETE /v1/entries/{id}} and the certificates the entry's agent obtained for it:
 * revoked with {@code ?revoke=true} (exactly those, in the same transaction), left valid
 * and counted without it; subclasses pick H2 or PostgreSQL.
 */
abstract class EntryDeletionScenarios extends FixtureScenarios {

	@Test
	void deleteWithRevokeRevokesExactlyTheLiveCertificatesTheEntrysAgentObtainedForIt() {
		ApiFixture.Agent a = this.fixture.enroll(this.fixture.createToken("host-del-a", "PT15M"), "host-del-a");
		ApiFixture.Agent b = this.fixture.enroll(this.fixture.createToken("host-del-b", "PT15M"), "host-del-b");
		String web = "spiffe://" + TD + "/ns/del-web";
		String deleted = this.fixture.createEntry(web, "host-del-a", List.of(), "PT10M");
		String sameIdOtherAgent = this.fixture.createEntry(web, "host-del-b", List.of(), "PT10M");
		String otherIdSameAgent = this.fixture.createEntry("spiffe://" + TD + "/ns/del-db", "host-del-a", List.of(),
				"PT10M");
		JsonNode first = issue(a, deleted, web);
		JsonNode second = issue(a, deleted, web);
		JsonNode alreadyRevoked = issue(a, deleted, web);
		revoke(alreadyRevoked, "keyCompromise");
		JsonNode others = issue(b, sameIdOtherAgent, web);
		JsonNode otherId = issue(a, otherIdSameAgent, "spiffe://" + TD + "/ns/del-db");
		JsonNode admins = issueAsAdmin(web);

		HttpResponse<String> response = delete(deleted, "?revoke=true");

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode body = json.readTree(response.body());
		assertThat(body.get("id").asString()).isEqualTo(deleted);
		assertThat(body.get("spiffeId").asString()).isEqualTo(web);
		assertThat(body.get("agent").asString()).isEqualTo("host-del-a");
		assertThat(body.get("revoked").asInt()).isEqualTo(2);
		assertThat(body.get("liveCertificates").asLong()).isZero();
		assertThat(body.get("liveUntil").isNull()).isTrue();
		for (JsonNode revoked : List.of(first, second)) {
			JsonNode status = status(revoked);
			assertThat(status.get("status").asString()).isEqualTo("revoked");
			assertThat(status.get("revocationReason").asString()).isEqualTo("cessationOfOperation");
		}
		assertThat(status(alreadyRevoked).get("revocationReason").asString()).as("revoked once, reason kept")
			.isEqualTo("keyCompromise");
		for (JsonNode untouched : List.of(others, otherId, admins)) {
			assertThat(status(untouched).get("status").asString()).isEqualTo("valid");
		}
		List<String> audited = new ArrayList<>();
		json.readTree(this.server.get(this.server.adminClient(), "/v1/audit?action=certificate.revoked").body())
			.get("events")
			.forEach((event) -> audited.add(event.get("subject").asString()));
		assertThat(audited).containsOnlyOnce(first.get("serialNumber").asString(),
				second.get("serialNumber").asString());
		assertProblem(this.server.get(this.server.adminClient(), "/v1/entries/" + deleted), 404, "not-found");
		assertThat(this.server.get(this.server.adminClient(), "/v1/entries/" + sameIdOtherAgent).statusCode())
			.isEqualTo(200);
	}

	@Test
	void deleteWithoutRevokeLeavesTheCertificatesValidAndSaysHowManyAndUntilWhen() {
		ApiFixture.Agent agent = this.fixture.enroll(this.fixture.createToken("host-keep", "PT15M"), "host-keep");
		String spiffeId = "spiffe://" + TD + "/ns/keep";
		String entry = this.fixture.createEntry(spiffeId, "host-keep", List.of(), "PT10M");
		JsonNode first = issue(agent, entry, spiffeId);
		JsonNode second = issue(agent, entry, spiffeId);
		Instant latest = List.of(first, second)
			.stream()
			.map((issued) -> Instant.parse(issued.get("notAfter").asString()))
			.max(Instant::compareTo)
			.orElseThrow();

		for (String query : List.of("", "?revoke=false")) {
			String id = (query.isEmpty()) ? entry : this.fixture.createEntry(spiffeId, "host-keep", List.of(), "PT10M");
			HttpResponse<String> response = delete(id, query);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			JsonNode body = json.readTree(response.body());
			assertThat(body.get("revoked").asInt()).isZero();
			assertThat(body.get("liveCertificates").asLong()).isEqualTo(2);
			assertThat(Instant.parse(body.get("liveUntil").asString())).isEqualTo(latest);
		}
		assertThat(status(first).get("status").asString()).isEqualTo("valid");
		assertThat(status(second).get("status").asString()).isEqualTo("valid");
	}

	@Test
	void revokeThatIsNeitherTrueNorFalseIsRefusedAndTheEntryStays() {
		String entry = this.fixture.createEntry("spiffe://" + TD + "/ns/maybe", "host-maybe", List.of(), "PT10M");
		Rows.Snapshot before = Rows.snapshot(this.fixture.jdbc());
		for (String value : List.of("maybe", "yes", "1", "TRUE", "")) {
			HttpResponse<String> refused = delete(entry, "?revoke=" + value);
			assertProblem(refused, 400, "bad-request");
			assertThat(json.readTree(refused.body()).get("detail").asString())
				.contains("'revoke' must be true or false");
		}
		assertThat(Rows.snapshot(this.fixture.jdbc())).isEqualTo(before);
		assertThat(this.server.get(this.server.adminClient(), "/v1/entries/" + entry).statusCode()).isEqualTo(200);
	}

	@Test
	void deletingAnUnknownEntryChangesNothing() {
		Rows.Snapshot before = Rows.snapshot(this.fixture.jdbc());
		assertProblem(delete("0b6f3c1e-8d2a-4f7e-9c61-2a5d8e4b7f10", "?revoke=true"), 404, "not-found");
		assertThat(Rows.snapshot(this.fixture.jdbc())).isEqualTo(before);
	}

	private HttpResponse<String> delete(String id, String query) {
		return RunningServer.send(this.server.adminClient(),
				HttpRequest.newBuilder(this.server.uri("/v1/entries/" + id + query)).DELETE().build());
	}

	private JsonNode issue(ApiFixture.Agent agent, String entry, String spiffeId) {
		String csr = Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse(spiffeId), List.of()).toPem();
		HttpResponse<String> issued = this.server.postJson(agent.client(), "/v1/agents/self/certificates",
				json.writeValueAsString(Map.of("entryId", entry, "csr", csr)));
		assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
		return json.readTree(issued.body());
	}

	private JsonNode issueAsAdmin(String spiffeId) {
		String csr = Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse(spiffeId), List.of()).toPem();
		HttpResponse<String> issued = this.server.postJson(this.server.adminClient(), "/v1/certificates",
				json.writeValueAsString(Map.of("csr", csr, "spiffeId", spiffeId)));
		assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
		return json.readTree(issued.body());
	}

	private void revoke(JsonNode issued, String reason) {
		HttpResponse<String> revoked = this.server.postJson(this.server.adminClient(),
				"/v1/certificates/" + issued.get("serialNumber").asString() + "/revoke",
				"{\"reason\":\"" + reason + "\"}");
		assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
	}

	private JsonNode status(JsonNode issued) {
		HttpResponse<String> response = this.server.get(this.server.adminClient(),
				"/v1/certificates/status?x5tS256=" + issued.get("x5tS256").asString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

}
