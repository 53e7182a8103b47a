package io.tether.server;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.SpiffeId;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static io.tether.server.ServerScenarios.assertProblem;
import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admin and agent workload issuance record through one writer that commits many
 * certificates at once, on the embedded database and on PostgreSQL. To make a batch of a
 * known shape, the test holds the lock of an agent's row: the writer stops inside the
 * batch that carries that agent's request, and what arrives meanwhile queues up as the
 * next batch.
 */
class GroupCommitIT {

	private static final String TD = AgentApiScenarios.TD;

	@Test
	void embeddedDatabase() throws Exception {
		scenarios(ServerScenarios.Database.embedded());
	}

	@Test
	void postgres() throws Exception {
		scenarios(ServerScenarios.Database.postgres());
	}

	private void scenarios(ServerScenarios.Database database) throws Exception {
		try (ApiFixture fixture = ApiFixture.start(database);
				ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
			ApiFixture.Agent blocker = fixture.enroll(fixture.createToken("host-blocker", "PT10M"), "host-blocker");
			String blockerEntry = fixture.createEntry("spiffe://" + TD + "/ns/blocker", "host-blocker", List.of(),
					"PT5M");
			aBatchThatFailsRecordsNoneOfItsCertificatesAndFailsEachRequestWithA503(fixture, clients, blocker,
					blockerEntry);
			anAgentEvictedWhileItsRequestWaitsIsRefusedAndTheRestOfItsBatchIsRecorded(fixture, clients, blocker,
					blockerEntry);
		}
	}

	private void aBatchThatFailsRecordsNoneOfItsCertificatesAndFailsEachRequestWithA503(ApiFixture fixture,
			ExecutorService clients, ApiFixture.Agent blocker, String blockerEntry) throws Exception {
		JdbcTemplate jdbc = fixture.jdbc();
		// one audit event of the next batch cannot be inserted: the batch's certificates
		// are inserted, then its audit events fail, and the certificates must go with
		// them
		jdbc.execute("alter table audit_event add constraint poisoned check (detail not like '%/ns/poison %')");
		long rows = count(jdbc, "select count(*) from certificate");
		long events = count(jdbc, "select count(*) from audit_event where action = 'certificate.issued'");
		CompletableFuture<HttpResponse<String>> first;
		List<CompletableFuture<HttpResponse<String>>> next = new ArrayList<>();
		AgentRowLock lock = AgentRowLock.hold(fixture, "host-blocker");
		try {
			first = CompletableFuture.supplyAsync(() -> issueForEntry(fixture, blocker, "blocker", blockerEntry),
					clients);
			await("the writer waits for the agent's row", GroupCommitIT::writerInsideAgentGuard);
			for (String name : List.of("poison", "b", "c", "d", "e", "f")) {
				next.add(CompletableFuture.supplyAsync(() -> issueAsAdmin(fixture, name), clients));
			}
			await("six requests queue behind the writer", () -> queued(fixture) == 6);
		}
		finally {
			lock.release();
		}
		assertThat(first.get().statusCode()).as(first.get().body()).isEqualTo(200);
		for (CompletableFuture<HttpResponse<String>> request : next) {
			HttpResponse<String> response = request.get();
			assertProblem(response, 503, "unavailable");
			assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
		}
		assertThat(count(jdbc, "select count(*) from certificate")).as("only the first batch's certificate")
			.isEqualTo(rows + 1);
		assertThat(count(jdbc, "select count(*) from audit_event where action = 'certificate.issued'"))
			.as("only the first batch's audit event")
			.isEqualTo(events + 1);
		assertThat(
				count(jdbc, "select count(*) from certificate where spiffe_id like 'spiffe://" + TD + "/ns/admin-%'"))
			.isZero();
		assertThat(meter(fixture).get("tether.issuance.commit.batch").summary().count())
			.as("one group commit: the first batch's; the failed one is not counted")
			.isOne();

		jdbc.execute("alter table audit_event drop constraint poisoned");
		HttpResponse<String> retried = issueAsAdmin(fixture, "b");
		assertThat(retried.statusCode()).as("an innocent request of the failed batch, retried").isEqualTo(201);
		assertThat(count(jdbc, "select count(*) from audit_event where action = 'certificate.issued' and subject = ?",
				json.readTree(retried.body()).get("serialNumber").asString()))
			.isOne();
	}

	private void anAgentEvictedWhileItsRequestWaitsIsRefusedAndTheRestOfItsBatchIsRecorded(ApiFixture fixture,
			ExecutorService clients, ApiFixture.Agent blocker, String blockerEntry) throws Exception {
		JdbcTemplate jdbc = fixture.jdbc();
		ApiFixture.Agent doomed = fixture.enroll(fixture.createToken("host-doomed", "PT10M"), "host-doomed");
		String doomedEntry = fixture.createEntry("spiffe://" + TD + "/ns/doomed", "host-doomed", List.of(), "PT5M");
		long rows = count(jdbc, "select count(*) from certificate");
		CompletableFuture<HttpResponse<String>> first;
		CompletableFuture<HttpResponse<String>> evicted;
		List<CompletableFuture<HttpResponse<String>>> admins = new ArrayList<>();
		AgentRowLock lock = AgentRowLock.hold(fixture, "host-blocker");
		try {
			first = CompletableFuture.supplyAsync(() -> issueForEntry(fixture, blocker, "blocker", blockerEntry),
					clients);
			await("the writer waits for the agent's row", GroupCommitIT::writerInsideAgentGuard);
			evicted = CompletableFuture.supplyAsync(() -> issueForEntry(fixture, doomed, "doomed", doomedEntry),
					clients);
			for (String name : List.of("g", "h", "i")) {
				admins.add(CompletableFuture.supplyAsync(() -> issueAsAdmin(fixture, name), clients));
			}
			await("four requests queue behind the writer", () -> queued(fixture) == 4);
			// the agent passed authentication; it is evicted before its certificate is
			// recorded, and the eviction revokes what it holds
			HttpResponse<String> eviction = fixture.server()
				.postJson(fixture.server().adminClient(), "/v1/agents/host-doomed/evict", "{}");
			assertThat(eviction.statusCode()).as(eviction.body()).isEqualTo(200);
		}
		finally {
			lock.release();
		}
		assertThat(first.get().statusCode()).isEqualTo(200);
		assertProblem(evicted.get(), 403, "not-agent");
		for (CompletableFuture<HttpResponse<String>> admin : admins) {
			assertThat(admin.get().statusCode()).as(admin.get().body()).isEqualTo(201);
		}
		assertThat(count(jdbc, "select count(*) from certificate")).as("the blocker's and the three admins'")
			.isEqualTo(rows + 4);
		assertThat(count(jdbc, "select count(*) from certificate where spiffe_id = 'spiffe://" + TD + "/ns/doomed'"))
			.isZero();
		assertThat(count(jdbc,
				"select count(*) from certificate where requested_by like '%host-doomed' and status = 'ISSUED'"))
			.as("nothing of the evicted agent's is left unrevoked")
			.isZero();
		assertThat(meter(fixture).find("tether.issuance.commit.batch").summary().max())
			.as("the three admin certificates committed together")
			.isEqualTo(3);
	}

	private static HttpResponse<String> issueForEntry(ApiFixture fixture, ApiFixture.Agent agent, String name,
			String entry) {
		String csr = Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse("spiffe://" + TD + "/ns/" + name), List.of())
			.toPem();
		return fixture.server()
			.postJson(agent.client(), "/v1/agents/self/certificates",
					json.writeValueAsString(Map.of("entryId", entry, "csr", csr)));
	}

	private static HttpResponse<String> issueAsAdmin(ApiFixture fixture, String name) {
		String spiffeId = "spiffe://" + TD + "/ns/" + (name.equals("poison") ? name : "admin-" + name);
		return fixture.server()
			.postJson(fixture.server().adminClient(), "/v1/certificates",
					ServerScenarios.body(ServerScenarios.csrPem(spiffeId), spiffeId, List.of(), "PT5M"));
	}

	private static boolean writerInsideAgentGuard() {
		return Thread.getAllStackTraces()
			.entrySet()
			.stream()
			.filter((thread) -> thread.getKey().getName().equals("tether-certificate-ledger"))
			.anyMatch((thread) -> Arrays.stream(thread.getValue())
				.anyMatch((frame) -> frame.getClassName().startsWith("io.tether.server.agent.AgentService")));
	}

	private static double queued(ApiFixture fixture) {
		return meter(fixture).get("tether.issuance.commit.queue").gauge().value();
	}

	private static MeterRegistry meter(ApiFixture fixture) {
		return fixture.server().bean(MeterRegistry.class);
	}

	private static void await(String what, BooleanSupplier condition) throws InterruptedException {
		Instant deadline = Instant.now().plusSeconds(30);
		while (!condition.getAsBoolean()) {
			assertThat(Instant.now()).as(what).isBefore(deadline);
			Thread.sleep(20);
		}
	}

	private static long count(JdbcTemplate jdbc, String sql, Object... arguments) {
		return jdbc.queryForObject(sql, Long.class, arguments);
	}

	/**
	 * An agent's row locked by a transaction of the test's own, as an eviction would lock
	 * it; released by rolling back.
	 */
	private record AgentRowLock(Connection connection) {

		static AgentRowLock hold(ApiFixture fixture, String agent) throws java.sql.SQLException {
			Connection connection = fixture.server().bean(DataSource.class).getConnection();
			connection.setAutoCommit(false);
			try (PreparedStatement lock = connection
				.prepareStatement("select name from agent where name = ? for update")) {
				lock.setString(1, agent);
				lock.executeQuery().close();
			}
			return new AgentRowLock(connection);
		}

		void release() throws java.sql.SQLException {
			this.connection.rollback();
			this.connection.close();
		}

	}

}
