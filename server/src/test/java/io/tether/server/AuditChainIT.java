package io.tether.server;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tether.api.AuditChainEvent;
import io.tether.api.AuditVerification;
import io.tether.pki.KeyEncryptionKey;
import io.tether.server.audit.AuditHashes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log's hash chain on PostgreSQL and on the embedded database: events written
 * with plain SQL (as a batch writer does) are sealed by the sealer; then, with plain SQL
 * as an attacker with database access would, an edited event, a deleted one, a planted
 * one and a forged checkpoint are each reported by {@code GET /v1/audit/verify} as the
 * first problem, naming the event, and the log verifies again once restored. Retention's
 * purge of the oldest events still verifies; deleting them without it does not.
 */
class AuditChainIT {

	@TempDir
	Path dir;

	@Test
	void tamperingIsReportedOnPostgres() throws Exception {
		try (TestDatabases.PostgresSchema schema = TestDatabases.postgres()) {
			Map<String, Object> properties = new HashMap<>();
			properties.put("spring.datasource.url", schema.jdbcUrl());
			properties.put("tether.kek", KeyEncryptionKey.generate(new SecureRandom()).toBase64());
			check(properties);
		}
	}

	@Test
	void tamperingIsReportedOnTheEmbeddedDatabase() throws Exception {
		check(new HashMap<>());
	}

	private void check(Map<String, Object> properties) throws Exception {
		properties.put("tether.trust-domain", "audit.example");
		properties.put("tether.jobs.audit-seal.interval", "PT0.2S");
		properties.put("tether.jobs.audit-seal.checkpoint-interval", "PT1S");
		properties.put("tether.jobs.audit-seal.checkpoint-events", "7");
		properties.put("tether.jobs.audit-retention.retention", "0");
		Path data = Files.createDirectories(this.dir.resolve("data"));
		try (RunningServer server = RunningServer.start(data, properties)) {
			JdbcTemplate jdbc = server.bean(JdbcTemplate.class);
			for (int i = 0; i < 25; i++) {
				record(jdbc, "event-" + i, "detail " + i);
			}
			sealed(jdbc);
			long events = count(jdbc, "select count(*) from audit_event");
			AuditVerification clean = verify(server);
			assertThat(clean.problem()).isNull();
			assertThat(clean.ok()).isTrue();
			assertThat(clean.firstSequence()).isEqualTo(1);
			assertThat(clean.verified()).isGreaterThanOrEqualTo(events);
			assertThat(clean.lastCheckpoint()).isNotNull();
			assertThat(clean.lastCheckpoint().kind()).isEqualTo("SEAL");

			// (a) an edited event
			Row edited = row(jdbc, 10);
			jdbc.update("update audit_event set detail = 'nothing to see' where id = ?", edited.id());
			AuditVerification altered = verify(server);
			assertThat(altered.ok()).isFalse();
			assertThat(altered.problem().kind()).isEqualTo("ALTERED");
			assertThat(altered.problem().sequence()).isEqualTo(10);
			assertThat(altered.problem().eventId()).isEqualTo(edited.id());
			jdbc.update("update audit_event set detail = ? where id = ?", edited.detail(), edited.id());
			assertThat(verify(server).ok()).isTrue();

			// (b) an event deleted from the middle
			Row deleted = row(jdbc, 12);
			jdbc.update("delete from audit_event where id = ?", deleted.id());
			AuditVerification gap = verify(server);
			assertThat(gap.ok()).isFalse();
			assertThat(gap.problem().kind()).isEqualTo("DELETED");
			assertThat(gap.problem().sequence()).isEqualTo(12);
			assertThat(gap.problem().message()).contains("sequence 12 ");
			restore(jdbc, deleted);
			assertThat(verify(server).ok()).isTrue();

			// (c) a forged event slipped in among sealed ones, dated yesterday: never
			// sealed,
			// and reported
			long runs = sealerRuns(jdbc);
			jdbc.update(
					"insert into audit_event (id, occurred_at, actor, action, subject, detail) values (0, ?,"
							+ " 'admin', 'certificate.revoked', null, 'forged')",
					Timestamp.from(Instant.now().minus(Duration.ofDays(1))));
			awaitSealerRuns(jdbc, runs + 3);
			assertThat(count(jdbc, "select count(*) from audit_event where id = 0 and chain_seq is null")).isOne();
			AuditVerification inserted = verify(server);
			assertThat(inserted.ok()).isFalse();
			assertThat(inserted.problem().kind()).isEqualTo("INSERTED");
			assertThat(inserted.problem().eventId()).isZero();
			jdbc.update("delete from audit_event where id = 0");
			assertThat(verify(server).ok()).isTrue();

			// (d) a checkpoint rewritten to vouch for another hash
			long checkpoint = count(jdbc, "select max(id) from audit_checkpoint");
			String hash = jdbc.queryForObject("select chain_hash from audit_checkpoint where id = ?", String.class,
					checkpoint);
			jdbc.update("update audit_checkpoint set chain_hash = ? where id = ?", "ab".repeat(32), checkpoint);
			AuditVerification forged = verify(server);
			assertThat(forged.ok()).isFalse();
			assertThat(forged.problem().kind()).isEqualTo("CHECKPOINT_INVALID");
			jdbc.update("update audit_checkpoint set chain_hash = ? where id = ?", hash, checkpoint);
			assertThat(verify(server).ok()).isTrue();

			// (e) the chain rewritten from a checkpoint on, every hash recomputed: only
			// the
			// checkpoint, which needs the KEK, shows it
			long at = count(jdbc, "select max(chain_seq) from audit_checkpoint where kind = 'SEAL'");
			List<Map<String, Object>> original = jdbc.queryForList(
					"select id, detail, chain_hash from audit_event where chain_seq >= ? order by chain_seq", at);
			jdbc.update("update audit_event set detail = 'rewritten' where chain_seq = ?", at);
			rehash(jdbc, at);
			AuditVerification rewritten = verify(server);
			assertThat(rewritten.ok()).isFalse();
			assertThat(rewritten.problem().kind()).isEqualTo("CHECKPOINT_MISMATCH");
			assertThat(rewritten.problem().sequence()).isEqualTo(at);
			for (Map<String, Object> event : original) {
				jdbc.update("update audit_event set detail = ?, chain_hash = ? where id = ?", event.get("detail"),
						event.get("chain_hash"), event.get("id"));
			}
			rehash(jdbc, at);
			assertThat(verify(server).ok()).isTrue();

			// admins only, as GET /v1/audit
			for (String path : List.of("/v1/audit/verify", "/v1/audit/export")) {
				HttpResponse<String> anonymous = RunningServer.send(server.anonymousClient(),
						HttpRequest.newBuilder(server.uri(path)).GET().build());
				assertThat(anonymous.statusCode()).as(path + ": " + anonymous.body()).isEqualTo(401);
			}

			// bad input is refused and changes nothing
			for (String query : List.of("?after=-1", "?after=abc", "?since=1h&after=2", "?since=soon")) {
				HttpResponse<String> refused = RunningServer.send(server.adminClient(),
						HttpRequest.newBuilder(server.uri("/v1/audit/export" + query))
							.header("Accept", "application/x-ndjson, application/problem+json")
							.GET()
							.build());
				assertThat(refused.statusCode()).as(query + ": " + refused.body()).isEqualTo(400);
			}

			// the export: every sealed event, a line each, linked
			List<AuditChainEvent> exported = export(server, "");
			assertThat(exported).hasSizeGreaterThanOrEqualTo((int) events);
			for (int i = 1; i < exported.size(); i++) {
				assertThat(exported.get(i).sequence()).isEqualTo(exported.get(i - 1).sequence() + 1);
				assertThat(exported.get(i).previousHash()).isEqualTo(exported.get(i - 1).hash());
			}
			assertThat(export(server, "?after=20")).first().extracting(AuditChainEvent::sequence).isEqualTo(21L);
		}

		// retention purges the oldest events, recording where it stopped
		properties.put("tether.jobs.audit-retention.retention", "PT2S");
		properties.put("tether.jobs.audit-retention.interval", "PT1S");
		try (RunningServer server = RunningServer.start(data, properties)) {
			JdbcTemplate jdbc = server.bean(JdbcTemplate.class);
			Instant deadline = Instant.now().plusSeconds(30);
			while (count(jdbc, "select count(*) from audit_event where action = 'test.event-24'") > 0) {
				assertThat(Instant.now()).as("retention purged the test events").isBefore(deadline);
				Thread.sleep(100);
			}
		}

		properties.put("tether.jobs.audit-retention.retention", "0");
		try (RunningServer server = RunningServer.start(data, properties)) {
			JdbcTemplate jdbc = server.bean(JdbcTemplate.class);
			record(jdbc, "after-purge", null);
			sealed(jdbc);
			AuditVerification purged = verify(server);
			assertThat(purged.problem()).isNull();
			assertThat(purged.ok()).isTrue();
			assertThat(purged.purgedThrough()).isGreaterThan(25);
			assertThat(purged.firstSequence()).isEqualTo(purged.purgedThrough() + 1);

			// the same prefix gone without retention's checkpoint is a deletion
			long purge = count(jdbc, "select max(id) from audit_checkpoint where kind = 'PURGE'");
			Map<String, Object> checkpoint = jdbc.queryForMap("select * from audit_checkpoint where id = ?", purge);
			jdbc.update("delete from audit_checkpoint where id = ?", purge);
			AuditVerification unaccounted = verify(server);
			assertThat(unaccounted.ok()).isFalse();
			assertThat(unaccounted.problem().kind()).isEqualTo("DELETED");
			assertThat(unaccounted.problem().sequence()).isOne();
			jdbc.update(
					"insert into audit_checkpoint (id, kind, chain_seq, chain_hash, created_at, mac)"
							+ " values (?, ?, ?, ?, ?, ?)",
					checkpoint.get("id"), checkpoint.get("kind"), checkpoint.get("chain_seq"),
					checkpoint.get("chain_hash"), checkpoint.get("created_at"), checkpoint.get("mac"));
			assertThat(verify(server).ok()).isTrue();

			// nor can a forged purge checkpoint pass a deletion off as retention's
			Row next = row(jdbc, purged.firstSequence());
			jdbc.update("delete from audit_event where id = ?", next.id());
			jdbc.update(
					"insert into audit_checkpoint (kind, chain_seq, chain_hash, created_at, mac)"
							+ " values ('PURGE', ?, ?, ?, ?)",
					next.sequence(), next.hash(), Timestamp.from(Instant.now()), "00".repeat(32));
			AuditVerification forgedPurge = verify(server);
			assertThat(forgedPurge.ok()).isFalse();
			assertThat(forgedPurge.problem().kind()).isEqualTo("CHECKPOINT_INVALID");
		}
	}

	private static AuditVerification verify(RunningServer server) {
		HttpResponse<String> response = RunningServer.send(server.adminClient(),
				HttpRequest.newBuilder(server.uri("/v1/audit/verify")).GET().build());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readValue(response.body(), AuditVerification.class);
	}

	private static List<AuditChainEvent> export(RunningServer server, String query) {
		HttpResponse<String> response = RunningServer.send(server.adminClient(),
				HttpRequest.newBuilder(server.uri("/v1/audit/export" + query))
					.header("Accept", "application/x-ndjson")
					.GET()
					.build());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/x-ndjson"));
		return response.body().lines().map((line) -> json.readValue(line, AuditChainEvent.class)).toList();
	}

	private static void record(JdbcTemplate jdbc, String name, String detail) {
		jdbc.update("insert into audit_event (occurred_at, actor, action, subject, detail) values (?, 'test', ?,"
				+ " 'subject', ?)", Timestamp.from(Instant.now()), "test." + name, detail);
	}

	/**
	 * Waits until every event is sealed and a checkpoint vouches for the chain's head.
	 */
	private static void sealed(JdbcTemplate jdbc) throws InterruptedException {
		Instant deadline = Instant.now().plusSeconds(30);
		while (count(jdbc, "select count(*) from audit_event where chain_seq is null") > 0 || count(jdbc,
				"select count(*) from audit_checkpoint where chain_seq = (select max(chain_seq) from audit_event)") == 0) {
			assertThat(Instant.now()).as("the sealer sealed and checkpointed every event").isBefore(deadline);
			Thread.sleep(50);
		}
	}

	/** Recomputes every hash from a sequence on, as whoever knows the formula can. */
	private static void rehash(JdbcTemplate jdbc, long from) {
		List<Map<String, Object>> events = jdbc
			.queryForList("select * from audit_event where chain_seq >= ?" + " order by chain_seq", from);
		String previous = (String) events.get(0).get("prev_hash");
		for (Map<String, Object> event : events) {
			long sequence = ((Number) event.get("chain_seq")).longValue();
			Instant occurredAt = jdbc
				.queryForObject("select occurred_at from audit_event where id = ?", OffsetDateTime.class,
						event.get("id"))
				.toInstant();
			String hash = AuditHashes.hash(sequence, previous, occurredAt, (String) event.get("actor"),
					(String) event.get("action"), (String) event.get("subject"), (String) event.get("detail"));
			jdbc.update("update audit_event set prev_hash = ?, chain_hash = ? where id = ?", previous, hash,
					event.get("id"));
			previous = hash;
		}
	}

	private static long sealerRuns(JdbcTemplate jdbc) {
		return count(jdbc, "select runs from job_run where name = 'audit-seal'");
	}

	private static void awaitSealerRuns(JdbcTemplate jdbc, long runs) throws InterruptedException {
		Instant deadline = Instant.now().plusSeconds(30);
		while (sealerRuns(jdbc) < runs) {
			assertThat(Instant.now()).as("the sealer ran").isBefore(deadline);
			Thread.sleep(50);
		}
	}

	private record Row(long id, long sequence, String hash, String detail, Map<String, Object> columns) {
	}

	private static Row row(JdbcTemplate jdbc, long sequence) {
		Map<String, Object> columns = jdbc.queryForMap("select * from audit_event where chain_seq = ?", sequence);
		return new Row(((Number) columns.get("id")).longValue(), sequence, (String) columns.get("chain_hash"),
				(String) columns.get("detail"), columns);
	}

	private static void restore(JdbcTemplate jdbc, Row row) {
		Map<String, Object> c = row.columns();
		jdbc.update(
				"insert into audit_event (id, occurred_at, actor, action, subject, detail, chain_seq, prev_hash,"
						+ " chain_hash, sealed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				c.get("id"), c.get("occurred_at"), c.get("actor"), c.get("action"), c.get("subject"), c.get("detail"),
				c.get("chain_seq"), c.get("prev_hash"), c.get("chain_hash"), c.get("sealed_at"));
	}

	private static long count(JdbcTemplate jdbc, String sql, Object... arguments) {
		Long value = jdbc.queryForObject(sql, Long.class, arguments);
		return (value != null) ? value : 0;
	}

}
