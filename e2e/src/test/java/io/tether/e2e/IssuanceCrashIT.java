package io.tether.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tether.pki.Csr;
import io.tether.pki.KeyEncryptionKey;
import io.tether.pki.KeyType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL in the middle of issuance load, on the embedded database and on PostgreSQL:
 * after a restart, every certificate a client received is on record, with exactly one
 * {@code certificate.issued} audit event. Admin issuance goes through the group-commit
 * writer, which answers a request only after the commit that holds it; a kill between the
 * commit and the answer leaves a record nobody received, which is harmless, and the
 * reverse must never happen.
 */
class IssuanceCrashIT {

	private static final int CLIENTS = 8;

	/** The PostgreSQL the test makes its database in; the machine's own by default. */
	private static final String POSTGRES_URL = System.getenv()
		.getOrDefault("TETHER_TEST_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");

	@Test
	void embeddedDatabase() throws Exception {
		killDuringIssuance(List.of());
	}

	@Test
	void postgres() throws Exception {
		String database = "tether_crash_" + UUID.randomUUID().toString().replace("-", "");
		execute("create database " + database);
		try {
			URI url = URI.create(POSTGRES_URL.substring("jdbc:".length()));
			String serverUrl = "jdbc:postgresql://" + url.getAuthority() + "/" + database
					+ ((url.getQuery() != null) ? "?" + url.getQuery() : "");
			killDuringIssuance(List.of("--spring.datasource.url=" + serverUrl,
					"--tether.kek=" + KeyEncryptionKey.generate(new SecureRandom()).toBase64()));
		}
		finally {
			execute("drop database if exists " + database + " with (force)");
		}
	}

	private static void killDuringIssuance(List<String> settings) throws Exception {
		Path work = Files.createTempDirectory("tether-issuance-crash");
		Map<String, String> received = new ConcurrentHashMap<>();
		AtomicBoolean load = new AtomicBoolean(true);
		try (TetherServer server = new TetherServer(work.resolve("server"), RunningProcess.freePort(),
				TetherServer.TRUST_DOMAIN, settings)) {
			server.start();
			HttpClient admin = server.adminClient();
			List<String> csrs = new ArrayList<>();
			for (int i = 0; i < 64; i++) {
				csrs.add(Csr.create(KeyType.EC_P256.generate(), null, List.of()).toPem());
			}
			try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
				for (int c = 0; c < CLIENTS; c++) {
					int client = c;
					clients.submit(() -> issueUntilStopped(server, admin, csrs, client, load, received));
				}
				// the kill lands at a moment of full load, seeded so a failure can be
				// rerun
				long killAfter = 1500 + new Random(Long.getLong("crash.seed", 16)).nextInt(1500);
				waitFor(() -> received.size() >= 20, Duration.ofSeconds(60));
				Thread.sleep(killAfter);
				server.kill();
				load.set(false);
			}
			assertThat(received).as("certificates received before the kill").hasSizeGreaterThan(20);

			server.start();
			for (Map.Entry<String, String> issued : received.entrySet()) {
				JsonNode record = server.get("/v1/certificates/" + issued.getKey());
				assertThat(record.get("spiffeId").asString()).as("the record of %s", issued.getKey())
					.isEqualTo(issued.getValue());
			}
			Map<String, Integer> events = new HashMap<>();
			JsonNode audit = server.get("/v1/audit?since=1h&action=certificate.issued&limit=1000").get("events");
			assertThat(audit.size()).as("all the events fit in one page").isLessThan(1000);
			audit.forEach((event) -> events.merge(event.get("subject").asString(), 1, Integer::sum));
			received.keySet()
				.forEach((serial) -> assertThat(events.get(serial)).as("audit events of %s", serial).isEqualTo(1));
		}
	}

	private static void issueUntilStopped(TetherServer server, HttpClient admin, List<String> csrs, int client,
			AtomicBoolean load, Map<String, String> received) {
		for (int i = 0; load.get(); i++) {
			String spiffeId = "spiffe://" + TetherServer.TRUST_DOMAIN + "/crash/c" + client + "-" + i;
			String body = TetherServer.JSON.writeValueAsString(
					Map.of("csr", csrs.get((client * 8 + i) % csrs.size()), "spiffeId", spiffeId, "ttl", "PT5M"));
			try {
				HttpResponse<String> response = admin
					.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/certificates"))
						.header("Content-Type", "application/json")
						.timeout(Duration.ofSeconds(30))
						.POST(HttpRequest.BodyPublishers.ofString(body))
						.build(), HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 201) {
					received.put(TetherServer.JSON.readTree(response.body()).get("serialNumber").asString(), spiffeId);
				}
			}
			catch (java.io.IOException ex) {
				// the kill: this answer was never received
				return;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("the load got going").isLessThan(deadline);
			Thread.sleep(50);
		}
	}

	private static void execute(String sql) throws Exception {
		try (Connection connection = DriverManager.getConnection(POSTGRES_URL);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
