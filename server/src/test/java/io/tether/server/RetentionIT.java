package io.tether.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tether.pki.KeyEncryptionKey;
import io.tether.pki.Thumbprints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retention jobs on the embedded database and on PostgreSQL: expired certificate
 * records go once they are older than the retention, in batches, except a revoked one
 * still inside a CRL's validity and the certificate an agent holds now; audit events go
 * at the head of the hash chain once older than theirs; each run leaves one audit event
 * saying how many it deleted; the valid certificates that {@code tether status} counts
 * stay.
 */
class RetentionIT {

	@TempDir
	Path dir;

	@Test
	void retentionOnTheEmbeddedDatabase() throws Exception {
		check(new HashMap<>());
	}

	@Test
	void retentionOnPostgres() throws Exception {
		try (TestDatabases.PostgresSchema schema = TestDatabases.postgres()) {
			Map<String, Object> properties = new HashMap<>();
			properties.put("spring.datasource.url", schema.jdbcUrl());
			properties.put("tether.kek", KeyEncryptionKey.generate(new SecureRandom()).toBase64());
			check(properties);
		}
	}

	private void check(Map<String, Object> properties) throws Exception {
		properties.put("tether.trust-domain", "retention.example");
		properties.put("tether.jobs.certificate-retention.interval", "PT1S");
		properties.put("tether.jobs.certificate-retention.retention", "PT1H");
		properties.put("tether.jobs.certificate-retention.batch", "7");
		properties.put("tether.jobs.audit-retention.interval", "PT1S");
		properties.put("tether.jobs.audit-retention.retention", "P30D");
		properties.put("tether.revocation.crl-validity", "P1D");
		Instant now = Instant.now();
		try (RunningServer server = RunningServer.start(Files.createDirectories(this.dir.resolve("data")),
				properties)) {
			JdbcTemplate jdbc = server.bean(JdbcTemplate.class);
			// retention deletes the oldest events of the hash chain, never one from its
			// middle: make everything up to "ancient" old, once sealed (as a year of
			// sealing would)
			audit(jdbc, "ancient", now.minus(Duration.ofDays(40)));
			long ancient = count(jdbc, "select id from audit_event where action = 'test.ancient'");
			Instant sealing = Instant.now().plusSeconds(30);
			while (count(jdbc, "select count(*) from audit_event where id <= ? and chain_seq is null", ancient) > 0) {
				assertThat(Instant.now()).as("the sealer sealed the events").isBefore(sealing);
				Thread.sleep(50);
			}
			int old = jdbc.update("update audit_event set occurred_at = ? where id <= ?",
					Timestamp.from(now.minus(Duration.ofDays(40))), ancient);
			audit(jdbc, "recent", now.minus(Duration.ofDays(20)));
			long validBefore = count(jdbc, "select count(*) from certificate where status = 'ISSUED' and not_after > ?",
					Timestamp.from(now));
			// in one transaction, so that one run of the job sees them all
			new TransactionTemplate(server.bean(PlatformTransactionManager.class)).executeWithoutResult((status) -> {
				// 20 records well past the retention: more than two batches of 7
				for (int i = 0; i < 20; i++) {
					certificate(jdbc, "old-" + i, "ISSUED", now.minus(Duration.ofHours(2)));
				}
				certificate(jdbc, "young", "ISSUED", now.minus(Duration.ofMinutes(30)));
				certificate(jdbc, "live", "ISSUED", now.plus(Duration.ofMinutes(30)));
				certificate(jdbc, "revoked-in-crl-window", "REVOKED", now.minus(Duration.ofHours(2)));
				certificate(jdbc, "revoked-long-ago", "REVOKED", now.minus(Duration.ofDays(2)));
				certificate(jdbc, "agent-holds", "ISSUED", now.minus(Duration.ofHours(2)));
				jdbc.update("insert into agent (name, spiffe_id, status, certificate_serial, certificate_not_after,"
						+ " enrolled_at, last_seen_at) values ('host-away', 'spiffe://retention.example/tether/agent/host-away',"
						+ " 'ACTIVE', ?, ?, ?, ?)", serial("agent-holds"),
						Timestamp.from(now.minus(Duration.ofHours(2))), Timestamp.from(now.minus(Duration.ofDays(3))),
						Timestamp.from(now.minus(Duration.ofDays(1))));
			});

			// until only the four that stay are left (the audit events went first)
			Instant deadline = Instant.now().plusSeconds(30);
			while (count(jdbc, "select count(*) from certificate where serial_number like 'aa%'") > 4
					|| count(jdbc, "select count(*) from audit_event where action = 'test.ancient'") > 0) {
				assertThat(Instant.now()).as("the retention jobs ran").isBefore(deadline);
				Thread.sleep(200);
			}
			List<String> left = jdbc.queryForList(
					"select serial_number from certificate where serial_number like 'aa%' order by serial_number",
					String.class);
			assertThat(left).containsExactlyInAnyOrder(serial("young"), serial("live"), serial("revoked-in-crl-window"),
					serial("agent-holds"));
			assertThat(count(jdbc, "select count(*) from certificate where status = 'ISSUED' and not_after > ?",
					Timestamp.from(now)))
				.as("what tether status counts")
				.isEqualTo(validBefore + 1);
			assertThat(count(jdbc, "select count(*) from audit_event where action = 'test.recent'")).isOne();
			assertThat(jdbc.queryForList("select detail from audit_event where action = 'certificate.purged'",
					String.class))
				.singleElement()
				.asString()
				.startsWith("count=21 ");
			assertThat(jdbc.queryForList("select detail from audit_event where action = 'audit.purged'", String.class))
				.singleElement()
				.asString()
				.startsWith("count=" + old + " ");
		}
	}

	/** A distinct 40-hex-digit serial per name, all starting with "aa". */
	private static String serial(String name) {
		return "aa" + Thumbprints.sha256Hex(name.getBytes(StandardCharsets.UTF_8)).substring(0, 38);
	}

	private static void certificate(JdbcTemplate jdbc, String name, String status, Instant notAfter) {
		String issuer = jdbc.queryForObject(
				"select id from authority where kind = 'INTERMEDIATE' fetch first 1 rows only", String.class);
		String serial = serial(name);
		jdbc.update("insert into certificate (serial_number, spiffe_id, dns_names, key_type, not_before, not_after,"
				+ " status, x5t_s256, issuer_id, requested_by, certificate_pem, created_at, revoked_at)"
				+ " values (?, 'spiffe://retention.example/ns/' || ?, '', 'EC_P256', ?, ?, ?, ?, ?, 'test', 'pem', ?, ?)",
				serial, name, Timestamp.from(notAfter.minus(Duration.ofMinutes(5))), Timestamp.from(notAfter), status,
				serial.substring(0, 40) + "xyz", issuer, Timestamp.from(notAfter.minus(Duration.ofMinutes(5))),
				"REVOKED".equals(status) ? Timestamp.from(notAfter.minus(Duration.ofMinutes(1))) : null);
	}

	private static void audit(JdbcTemplate jdbc, String name, Instant at) {
		jdbc.update("insert into audit_event (occurred_at, actor, action, subject, detail) values (?, 'test', ?, null,"
				+ " null)", Timestamp.from(at), "test." + name);
	}

	private static long count(JdbcTemplate jdbc, String sql, Object... arguments) {
		Long value = jdbc.queryForObject(sql, Long.class, arguments);
		return (value != null) ? value : 0;
	}

}
