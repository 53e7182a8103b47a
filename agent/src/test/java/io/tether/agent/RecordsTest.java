package io.tether.agent;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.tether.api.AgentIssued;
import io.tether.api.EnrollRequest;
import io.tether.api.EntryList;
import io.tether.api.Eviction;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link Records}: the wire contract's records bound to the agent's JSON.
 */
class RecordsTest {

	@Test
	void readsAnAnswerAsTheServerWritesItIgnoringMembersItDoesNotKnow() {
		AgentIssued issued = Records.read(Json.parseObject("""
				{"entryId":null,"serialNumber":"0abc","notBefore":"2026-12-01T10:00:00Z",
				 "notAfter":"2026-12-01T11:00:00Z","x5tS256":"x","certificateChain":"chain","bundle":"bundle",
				 "addedByANewerServer":{"a":[1,2]}}"""), AgentIssued.class);
		assertThat(issued.entryId()).isNull();
		assertThat(issued.notAfter()).isEqualTo(Instant.parse("2026-12-01T11:00:00Z"));
		assertThat(issued.certificateChain()).isEqualTo("chain");
	}

	@Test
	void readsListsOfNestedRecords() {
		EntryList list = Records.read(Json.parseObject("""
				{"entries":[{"id":"e1","spiffeId":"spiffe://td/ns/web","agent":"host-1",
				 "dnsNames":["web.internal","www.internal"],"ttl":"PT5M","createdBy":"admin",
				 "createdAt":"2026-12-01T10:00:00Z"}]}"""), EntryList.class);
		assertThat(list.entries()).hasSize(1);
		assertThat(list.entries().get(0).dnsNames()).containsExactly("web.internal", "www.internal");
	}

	@Test
	void readsNumbersIntoTheirComponentTypes() {
		Eviction eviction = Records.read(Json.parseObject("""
				{"agent":{"name":"host-1","status":"evicted"},"revokedCertificates":3}"""), Eviction.class);
		assertThat(eviction.revokedCertificates()).isEqualTo(3);
		assertThat(eviction.agent().status()).isEqualTo("evicted");
	}

	@Test
	void refusesAMemberOfAnotherTypeNamingIt() {
		assertThatExceptionOfType(Json.JsonException.class)
			.isThrownBy(() -> Records.read(Json.parseObject("{\"entries\":[{\"id\":42}]}"), EntryList.class))
			.withMessage("'entries[0].id' is not a string");
		assertThatExceptionOfType(Json.JsonException.class)
			.isThrownBy(() -> Records.read(Json.parseObject("{\"notAfter\":\"tomorrow\"}"), AgentIssued.class))
			.withMessage("'notAfter' is not an ISO-8601 instant");
		assertThatExceptionOfType(Json.JsonException.class)
			.isThrownBy(() -> Records.read(Json.parseObject("{\"agent\":{}}"), Eviction.class))
			.withMessage("'revokedCertificates' is missing");
	}

	@Test
	void writesARequestLeavingOutNullMembers() {
		Map<String, Object> written = Records.write(new EnrollRequest("tj1.a.b.c", null));
		assertThat(written).containsExactly(Map.entry("joinToken", "tj1.a.b.c"));
		assertThat(Json.write(Records.write(new EnrollRequest("t", "csr")), false))
			.isEqualTo("{\"joinToken\":\"t\",\"csr\":\"csr\"}");
		assertThat(Records.write(new io.tether.api.EntryRequest("spiffe://td/x", "a", List.of("d"), null)))
			.containsEntry("dnsNames", List.of("d"));
	}

}
