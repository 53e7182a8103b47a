package io.tether.server;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tether.pki.Csr;
import io.tether.pki.KeyEncryptionKey;
import io.tether.pki.KeyType;
import io.tether.pki.SpiffeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.util.FileSystemUtils;

import static io.tether.server.ServerScenarios.assertProblem;
import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database freezes ({@code docker pause}) or dies ({@code docker kill}) under a
 * server that is issuing certificates to several clients at once, with the server's own
 * settings. Connections to a frozen database stay open and nothing answers on them, so
 * this is what a hung database host or a network that drops packets looks like. Every
 * client gets an answer in bounded time, a 503 problem with {@code Retry-After} while the
 * database is away; every certificate a client received is in the database, and the
 * database holds none that no client received, save from a request whose commit was on
 * its way when the database went (its outcome is the database's); and the server issues
 * again by itself once the database is back. It always runs on a container of its own (it
 * freezes and kills it), so it needs a Docker engine, and fails without one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresPauseIT {

	private static final String TD = "pause.example";

	/**
	 * How long a client waits for an answer: less than the agent's and the CLI's 30 s,
	 * after which they give up on their own.
	 */
	private static final Duration ANSWER_BOUND = Duration.ofSeconds(20);

	/** Longer than any client waits, so a request that hangs shows as unanswered. */
	private static final Duration OUTAGE = ANSWER_BOUND.plusSeconds(5);

	private static final Duration RECOVERY_BOUND = Duration.ofSeconds(30);

	private static final int CLIENTS = 4;

	private TestPostgres postgres;

	private Path workDir;

	private RunningServer server;

	@BeforeAll
	void start() throws IOException {
		this.postgres = TestPostgres.start("PostgresPauseIT, which freezes and kills its own database");
		this.workDir = Files.createTempDirectory("tether-pause-it");
		this.server = RunningServer.start(this.workDir.resolve("data"),
				Map.of("spring.datasource.url", this.postgres.adminUrl(), "tether.kek",
						KeyEncryptionKey.generate(new SecureRandom()).toBase64(), "tether.trust-domain", TD));
	}

	@AfterAll
	void stop() {
		try {
			if (this.server != null) {
				this.server.close();
			}
		}
		finally {
			try {
				if (this.postgres != null) {
					this.postgres.close();
				}
			}
			finally {
				if (this.workDir != null) {
					FileSystemUtils.deleteRecursively(this.workDir.toFile());
				}
			}
		}
	}

	@Test
	void frozenDatabaseIsA503InBoundedTimeWithNoGhostCertificateAndTheServerRecoversByItself() {
		outageUnderLoad("freeze", this.postgres::pause, this.postgres::unpause);
	}

	@Test
	void killedDatabaseIsA503AndTheServerRecoversByItselfWhenItIsStartedAgain() {
		outageUnderLoad("kill", this.postgres::kill, this.postgres::restart);
	}

	private void outageUnderLoad(String run, Runnable outage, Runnable end) {
		Load load = new Load(this.server, run);
		try {
			load.awaitIssued(2 * CLIENTS);
			outage.run();
			// after the engine has frozen or killed it: a request sent before may still
			// succeed
			Instant outageStart = Instant.now();
			sleep(OUTAGE);
			Instant outageEnd = Instant.now();
			end.run();
			awaitIssuance(run);
			load.stop();

			List<Answer> answers = load.answers();
			assertThat(answers).allSatisfy((answer) -> {
				assertThat(answer.failure()).as("an answer within %s", ANSWER_BOUND).isNull();
				if (answer.response().statusCode() != 201) {
					assertUnavailable(answer.response());
				}
			});
			List<Answer> refusedDuringOutage = answers.stream()
				.filter((answer) -> answer.sent().isAfter(outageStart) && answer.answered().isBefore(outageEnd))
				.toList();
			assertThat(refusedDuringOutage).as("requests sent and answered while the database was away")
				.hasSizeGreaterThanOrEqualTo(CLIENTS)
				.allSatisfy((answer) -> assertUnavailable(answer.response()));
			Set<String> received = new HashSet<>();
			answers.stream()
				.filter((answer) -> answer.serial() != null)
				.forEach((answer) -> received.add(answer.serial()));
			Map<String, String> inDatabase = issuedInDatabase(run);
			assertThat(inDatabase.keySet()).as("every certificate a client received is in the database")
				.containsAll(received);
			Set<String> unreceived = new HashSet<>(inDatabase.keySet());
			unreceived.removeAll(received);
			// A request whose COMMIT had been sent when the database froze or died is
			// refused, and the database may still commit it once it runs again: its
			// outcome is the database's (docs/operations.md). No other request may leave
			// a certificate behind.
			Set<String> cutDuringCommit = new HashSet<>();
			answers.stream()
				.filter((answer) -> answer.sent().isBefore(outageStart) && answer.serial() == null)
				.forEach((answer) -> cutDuringCommit.add(answer.spiffeId()));
			assertThat(unreceived.stream().map(inDatabase::get).toList())
				.as("certificates in the database that no client received")
				.allSatisfy((spiffeId) -> assertThat(cutDuringCommit).contains(spiffeId));
		}
		finally {
			load.stop();
		}
	}

	private void awaitIssuance(String run) {
		Instant deadline = Instant.now().plus(RECOVERY_BOUND);
		HttpClient client = this.server.adminClient();
		HttpResponse<String> response;
		do {
			response = issue(this.server, client, spiffeId(run, "recovery", 0));
			if (response.statusCode() != 201) {
				assertUnavailable(response);
			}
		}
		while (response.statusCode() != 201 && Instant.now().isBefore(deadline));
		assertThat(response.statusCode()).as("issuance %s after the database is back", RECOVERY_BOUND).isEqualTo(201);
	}

	/** Serial number to SPIFFE ID of the certificates issued to the load's clients. */
	private Map<String, String> issuedInDatabase(String run) {
		Map<String, String> issued = new HashMap<>();
		this.server.bean(JdbcTemplate.class)
			.query("select serial_number, spiffe_id from certificate where spiffe_id like ?",
					(RowCallbackHandler) (row) -> issued.put(row.getString(1), row.getString(2)),
					"spiffe://" + TD + "/" + run + "/load/%");
		return issued;
	}

	private static void assertUnavailable(HttpResponse<String> response) {
		assertProblem(response, 503, "unavailable");
		assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
	}

	private static String spiffeId(String run, String client, int request) {
		return "spiffe://" + TD + "/" + run + "/" + client + "/" + request;
	}

	private static HttpResponse<String> issue(RunningServer server, HttpClient client, String spiffeId) {
		String csr = Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse(spiffeId), List.of()).toPem();
		return RunningServer.send(client,
				HttpRequest.newBuilder(server.uri("/v1/certificates"))
					.timeout(ANSWER_BOUND)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers
						.ofString(json.writeValueAsString(Map.of("csr", csr, "spiffeId", spiffeId, "ttl", "1h"))))
					.build());
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One issuance request and what came of it: a response, or a failure (no answer in
	 * time, connection refused).
	 */
	private record Answer(String spiffeId, Instant sent, Instant answered, HttpResponse<String> response,
			String failure) {

		String serial() {
			return (this.response != null && this.response.statusCode() == 201)
					? json.readTree(this.response.body()).get("serialNumber").asString() : null;
		}

	}

	/**
	 * Clients issuing certificates back to back, each on a thread of its own, until
	 * stopped.
	 */
	private static final class Load {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();

		private final List<Thread> threads = new ArrayList<>();

		Load(RunningServer server, String run) {
			for (int i = 0; i < CLIENTS; i++) {
				String name = "load/" + i;
				HttpClient client = server.adminClient();
				this.threads.add(Thread.ofPlatform().name("pause-it-" + run + "-" + i).start(() -> {
					for (int request = 0; this.running.get(); request++) {
						String spiffeId = spiffeId(run, name, request);
						Instant sent = Instant.now();
						try {
							HttpResponse<String> response = issue(server, client, spiffeId);
							this.answers.add(new Answer(spiffeId, sent, Instant.now(), response, null));
						}
						catch (RuntimeException ex) {
							Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
							String failure = (cause instanceof HttpTimeoutException)
									? "no answer within " + ANSWER_BOUND : cause.toString();
							this.answers.add(new Answer(spiffeId, sent, Instant.now(), null, failure));
						}
					}
				}));
			}
		}

		void awaitIssued(int count) {
			Instant deadline = Instant.now().plus(RECOVERY_BOUND);
			while (this.answers.stream().filter((answer) -> answer.serial() != null).count() < count) {
				assertThat(Instant.now()).as("%s certificates issued before the outage: %s", count, this.answers)
					.isBefore(deadline);
				sleep(Duration.ofMillis(50));
			}
		}

		void stop() {
			this.running.set(false);
			for (Thread thread : this.threads) {
				try {
					thread.join(ANSWER_BOUND.plusSeconds(5));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
			}
		}

		List<Answer> answers() {
			return List.copyOf(this.answers);
		}

	}

}
