package io.tether.cli;

import java.time.Instant;
import java.util.List;

import io.tether.api.AgentList;
import io.tether.api.AgentView;
import io.tether.api.AuditList;
import io.tether.api.CaView;
import io.tether.api.CertificateList;
import io.tether.api.CertificateView;
import io.tether.api.Entry;
import io.tether.api.EntryList;
import io.tether.api.EntryRequest;
import io.tether.api.Eviction;
import io.tether.api.IssueRequest;
import io.tether.api.IssuedCertificate;
import io.tether.api.JoinToken;
import io.tether.api.JoinTokenRequest;
import io.tether.api.RevokeRequest;
import io.tether.api.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every answer the CLI reads, written by hand from docs/api.md, bound to its
 * {@code io.tether.api} record; and the request records as the server receives them.
 */
class ApiClientTest {

	private static final String AGENT = """
			{"name": "host-1", "spiffeId": "spiffe://tether.internal/agent/host-1", "status": "active",
			 "certificateSerial": "3f9a01", "certificateNotAfter": "2026-11-26T05:00:00Z",
			 "enrolledAt": "2026-11-25T05:00:00.123456Z", "lastSeenAt": "2026-11-25T06:00:00Z"}""";

	private static final String ENTRY = """
			{"id": "0b6f3c1e-8d2a-4f7e-9c61-2a5d8e4b7f10", "spiffeId": "spiffe://tether.internal/ns/web",
			 "agent": "host-1", "dnsNames": ["web.internal", "localhost"], "ttl": "PT5M",
			 "createdBy": "spiffe://tether.internal/tether/admin", "createdAt": "2026-11-25T05:00:00Z"}""";

	private static final String CERTIFICATE = """
			{"serialNumber": "76958f81", "spiffeId": "spiffe://tether.internal/ns/web", "dnsNames": ["web.internal"],
			 "keyType": "ec-p256", "notBefore": "2026-11-25T05:57:33Z", "notAfter": "2026-11-25T06:58:03Z",
			 "status": "valid", "x5tS256": "-gRAlMtE", "issuerId": "b1c2",
			 "requestedBy": "spiffe://tether.internal/agent/host-1", "createdAt": "2026-11-25T05:58:03.5Z"}""";

	@Test
	void statusBindsWithItsNestedRecords() {
		Status status = ApiClient.bind("""
				{"trustDomain": "tether.internal", "serverTime": "2026-11-25T06:00:00.5Z",
				 "authorities": [{"kind": "root", "subject": "CN=Tether Root CA", "notAfter": "2036-11-25T00:00:00Z",
				                  "sha256": "54f23f33"},
				                 {"kind": "intermediate", "subject": "CN=Tether Intermediate CA",
				                  "notAfter": "2027-11-25T00:00:00Z", "sha256": "0d886c9b"}],
				 "counts": {"activeAgents": 1, "agents": 2, "entries": 3, "validCertificates": 4},
				 "soonestExpiry": {"serialNumber": "76958f81", "spiffeId": "spiffe://tether.internal/ns/web",
				                   "notAfter": "2026-11-25T06:58:03Z"}}""", Status.class).value();
		assertThat(status.trustDomain()).isEqualTo("tether.internal");
		assertThat(status.serverTime()).isEqualTo(Instant.parse("2026-11-25T06:00:00.5Z"));
		assertThat(status.authorities()).extracting(Status.AuthoritySummary::kind)
			.containsExactly("root", "intermediate");
		assertThat(status.counts()).isEqualTo(new Status.Counts(1, 2, 3, 4));
		assertThat(status.soonestExpiry().notAfter()).isEqualTo(Instant.parse("2026-11-25T06:58:03Z"));
	}

	@Test
	void statusWithoutAValidCertificateHasNoSoonestExpiry() {
		Status status = ApiClient.bind("""
				{"trustDomain": "tether.internal", "serverTime": "2026-11-25T06:00:00Z", "authorities": [],
				 "counts": {"activeAgents": 0, "agents": 0, "entries": 0, "validCertificates": 0}}""", Status.class)
			.value();
		assertThat(status.soonestExpiry()).isNull();
	}

	@Test
	void caViewBindsEveryAuthority() {
		CaView ca = ApiClient.bind("""
				{"trustDomain": "tether.internal", "authorities": [
				 {"id": "a1", "kind": "root", "generation": 1, "subject": "CN=Tether Root CA", "serialNumber": "01",
				  "keyType": "ec-p256", "notBefore": "2026-11-25T00:00:00Z", "notAfter": "2036-11-25T00:00:00Z",
				  "status": "active", "sha256": "54f23f33", "certificatePem": "-----BEGIN CERTIFICATE-----\\n..."}]}""",
				CaView.class)
			.value();
		assertThat(ca.trustDomain()).isEqualTo("tether.internal");
		assertThat(ca.authorities()).singleElement().satisfies((authority) -> {
			assertThat(authority.generation()).isEqualTo(1);
			assertThat(authority.keyType()).isEqualTo("ec-p256");
			assertThat(authority.notAfter()).isEqualTo(Instant.parse("2036-11-25T00:00:00Z"));
			assertThat(authority.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n");
		});
	}

	@Test
	void joinTokenBinds() {
		JoinToken token = ApiClient
			.bind("""
					{"token": "tj1.abc.def.54f23f33", "agent": "host-1", "expiresAt": "2026-11-25T06:15:00Z"}""",
					JoinToken.class)
			.value();
		assertThat(token)
			.isEqualTo(new JoinToken("tj1.abc.def.54f23f33", "host-1", Instant.parse("2026-11-25T06:15:00Z")));
	}

	@Test
	void agentsBind() {
		AgentView agent = ApiClient.bind(AGENT, AgentView.class).value();
		assertThat(agent.certificateSerial()).isEqualTo("3f9a01");
		assertThat(agent.enrolledAt()).isEqualTo(Instant.parse("2026-11-25T05:00:00.123456Z"));
		assertThat(ApiClient.bind("{\"agents\": [" + AGENT + "]}", AgentList.class).value().agents())
			.containsExactly(agent);
	}

	@Test
	void evictionBindsTheAgentAndTheCount() {
		Eviction eviction = ApiClient
			.bind("{\"agent\": " + AGENT.replace("\"active\"", "\"evicted\"") + ", \"revokedCertificates\": 3}",
					Eviction.class)
			.value();
		assertThat(eviction.agent().status()).isEqualTo("evicted");
		assertThat(eviction.revokedCertificates()).isEqualTo(3);
	}

	@Test
	void entriesBind() {
		Entry entry = ApiClient.bind(ENTRY, Entry.class).value();
		assertThat(entry.dnsNames()).containsExactly("web.internal", "localhost");
		assertThat(entry.ttl()).isEqualTo("PT5M");
		assertThat(entry.createdAt()).isEqualTo(Instant.parse("2026-11-25T05:00:00Z"));
		assertThat(ApiClient.bind("{\"entries\": [" + ENTRY + "]}", EntryList.class).value().entries())
			.containsExactly(entry);
	}

	@Test
	void certificateListLeavesAbsentMembersNull() {
		CertificateList list = ApiClient.bind("{\"certificates\": [" + CERTIFICATE + "]}", CertificateList.class)
			.value();
		assertThat(list.certificates()).singleElement().satisfies((certificate) -> {
			assertThat(certificate.serialNumber()).isEqualTo("76958f81");
			assertThat(certificate.notAfter()).isEqualTo(Instant.parse("2026-11-25T06:58:03Z"));
			assertThat(certificate.requestedBy()).isEqualTo("spiffe://tether.internal/agent/host-1");
			assertThat(certificate.revokedAt()).isNull();
			assertThat(certificate.certificatePem()).isNull();
		});
	}

	@Test
	void revokedCertificateBindsItsRevocation() {
		CertificateView certificate = ApiClient
			.bind(CERTIFICATE.replace("\"valid\"", "\"revoked\"")
				.replace("}",
						", \"revokedAt\": \"2026-11-25T06:10:00Z\", \"revocationReason\": \"keyCompromise\", "
								+ "\"certificatePem\": \"-----BEGIN CERTIFICATE-----\\n...\"}"),
					CertificateView.class)
			.value();
		assertThat(certificate.status()).isEqualTo("revoked");
		assertThat(certificate.revokedAt()).isEqualTo(Instant.parse("2026-11-25T06:10:00Z"));
		assertThat(certificate.revocationReason()).isEqualTo("keyCompromise");
		assertThat(certificate.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
	}

	@Test
	void issuedCertificateBinds() {
		IssuedCertificate issued = ApiClient
			.bind("""
					{"serialNumber": "76958f81", "spiffeId": "spiffe://tether.internal/ns/web", "dnsNames": ["web.internal"],
					 "notBefore": "2026-11-25T05:57:33Z", "notAfter": "2026-11-25T06:58:03Z", "x5tS256": "-gRAlMtE",
					 "certificateChain": "-----BEGIN CERTIFICATE-----\\nleaf\\n-----BEGIN CERTIFICATE-----\\nca\\n"}""",
					IssuedCertificate.class)
			.value();
		assertThat(issued.x5tS256()).isEqualTo("-gRAlMtE");
		assertThat(issued.certificateChain()).contains("leaf", "ca");
	}

	@Test
	void auditListBinds() {
		AuditList audit = ApiClient
			.bind("""
					{"events": [{"id": 7, "occurredAt": "2026-11-25T06:00:00Z",
					 "actor": "spiffe://tether.internal/tether/admin", "action": "entry.created",
					 "subject": "0b6f3c1e", "detail": "spiffeId=spiffe://tether.internal/ns/web agent=host-1"}]}""",
					AuditList.class)
			.value();
		assertThat(audit.events()).singleElement().satisfies((event) -> {
			assertThat(event.id()).isEqualTo(7);
			assertThat(event.action()).isEqualTo("entry.created");
			assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-25T06:00:00Z"));
		});
	}

	@Test
	void memberOfANewerServerIsIgnoredAndKeptInTheJsonPrinted() {
		ApiClient.Reply<JoinToken> reply = ApiClient.bind("""
				{"token": "tj1.a.b.c", "agent": "host-1", "expiresAt": "2026-11-25T06:15:00Z", "uses": 1}""",
				JoinToken.class);
		assertThat(reply.value().token()).isEqualTo("tj1.a.b.c");
		assertThat(reply.json().get("uses").asInt()).isEqualTo(1);
	}

	@Test
	void answerThatIsNotJsonIsAFailure() {
		assertThatExceptionOfType(CliException.class)
			.isThrownBy(() -> ApiClient.bind("<html>Bad gateway</html>", Status.class))
			.withMessageContaining("not JSON")
			.extracting(CliException::exitCode)
			.isEqualTo(ExitCode.FAILED);
	}

	@Test
	void answerOfAnotherShapeIsAFailureThatNamesTheRecord() {
		assertThatExceptionOfType(CliException.class)
			.isThrownBy(() -> ApiClient.bind("{\"agents\": \"host-1\"}", AgentList.class))
			.withMessageContaining("AgentList")
			.extracting(CliException::exitCode)
			.isEqualTo(ExitCode.FAILED);
	}

	@Test
	void requestRecordsLeaveOutWhatWasNotGiven() {
		assertThat(ApiClient.JSON.writeValueAsString(new EntryRequest("spiffe://td/ns/web", "host-1", List.of(), null)))
			.isEqualTo("{\"spiffeId\":\"spiffe://td/ns/web\",\"agent\":\"host-1\",\"dnsNames\":[]}");
		assertThat(ApiClient.JSON.writeValueAsString(new EntryRequest("spiffe://td/ns/web", "host-1", List.of(), null,
				"CN=web,O=Example", List.of("orders"))))
			.isEqualTo("{\"spiffeId\":\"spiffe://td/ns/web\",\"agent\":\"host-1\",\"dnsNames\":[],"
					+ "\"subject\":\"CN=web,O=Example\",\"audiences\":[\"orders\"]}");
		assertThat(ApiClient.JSON.writeValueAsString(new IssueRequest("PEM", "spiffe://td/ns/web", List.of("a"), "1h")))
			.isEqualTo("{\"csr\":\"PEM\",\"spiffeId\":\"spiffe://td/ns/web\",\"dnsNames\":[\"a\"],\"ttl\":\"1h\"}");
		assertThat(ApiClient.JSON.writeValueAsString(new JoinTokenRequest("host-1", null)))
			.isEqualTo("{\"agent\":\"host-1\"}");
		assertThat(ApiClient.JSON.writeValueAsString(new RevokeRequest(null))).isEqualTo("{}");
	}

	@Test
	void nullMemberOfAnAnswerIsPrintedAsReceived() {
		ApiClient.Reply<AgentView> reply = ApiClient.bind(AGENT.replace("\"2026-11-25T06:00:00Z\"", "null"),
				AgentView.class);
		assertThat(reply.value().lastSeenAt()).isNull();
		assertThat(ApiClient.JSON.writeValueAsString(reply.json())).contains("\"lastSeenAt\":null");
	}

}
