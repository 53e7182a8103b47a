package io.tether.server;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.tether.pki.KeyEncryptionKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.JdbcTemplate;

import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas on one PostgreSQL: a cluster-wide job runs once per period across them (a
 * ShedLock lock in the database), not once per replica, and every job's last run is in
 * {@code GET /v1/status} on either replica.
 */
class ScheduledJobsIT {

	@TempDir
	Path dir;

	@Test
	void clusterWideJobRunsOncePerPeriodAcrossTwoReplicasAndShowsInStatus() throws IOException {
		try (TestDatabases.PostgresSchema schema = TestDatabases.postgres()) {
			Map<String, Object> properties = new HashMap<>();
			properties.put("spring.datasource.url", schema.jdbcUrl());
			properties.put("tether.kek", KeyEncryptionKey.generate(new SecureRandom()).toBase64());
			properties.put("tether.trust-domain", "jobs.example");
			properties.put("tether.jobs.join-token-purge.interval", "PT2S");
			properties.put("tether.jobs.join-token-purge.lock-at-least", "PT1.8S");
			properties.put("tether.jobs.join-token-purge.retention", "PT1S");
			try (RunningServer first = RunningServer.start(Files.createDirectories(this.dir.resolve("a")), properties);
					RunningServer second = RunningServer.start(Files.createDirectories(this.dir.resolve("b")),
							properties)) {
				JdbcTemplate jdbc = first.bean(JdbcTemplate.class);
				for (int i = 0; i < 3; i++) {
					jdbc.update(
							"insert into join_token (id, agent_name, secret_hash, created_by, created_at, expires_at)"
									+ " values (?, 'host-old', ?, 'test', ?, ?)",
							"00000000000000000000000" + i, "0".repeat(64),
							Timestamp.from(Instant.now().minus(Duration.ofHours(2))),
							Timestamp.from(Instant.now().minus(Duration.ofHours(1))));
				}
				Instant deadline = Instant.now().plusSeconds(20);
				while (count(jdbc, "select count(*) from join_token") > 0) {
					assertThat(Instant.now()).as("expired tokens purged").isBefore(deadline);
					Thread.onSpinWait();
				}
				long before = runs(jdbc);
				Instant start = Instant.now();
				while (Duration.between(start, Instant.now()).compareTo(Duration.ofSeconds(10)) < 0) {
					Thread.onSpinWait();
				}
				long ran = runs(jdbc) - before;
				assertThat(ran).as("five periods of 2 s across both replicas: about five runs, not ten")
					.isBetween(3L, 6L);
				assertThat(count(jdbc, "select count(*) from audit_event where action = 'join-token.purged'"))
					.as("the tokens were purged once")
					.isEqualTo(1);

				HttpResponse<String> response = second.get(second.adminClient(), "/v1/status");
				assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
				JsonNode jobs = json.readTree(response.body()).get("jobs");
				assertThat(jobs).anySatisfy((job) -> {
					assertThat(job.get("name").asString()).isEqualTo("join-token-purge");
					assertThat(job.get("replica").asString()).isEqualTo("*");
					assertThat(job.get("outcome").asString()).isEqualTo("ok");
				});
				assertThat(jobs).filteredOn((job) -> job.get("name").asString().equals("server-tls-renewal"))
					.as("each replica renews its own TLS certificate")
					.hasSize(2);
			}
		}
	}

	private static long runs(JdbcTemplate jdbc) {
		return count(jdbc, "select coalesce(sum(runs), 0) from job_run where name = 'join-token-purge'");
	}

	private static long count(JdbcTemplate jdbc, String sql) {
		Long value = jdbc.queryForObject(sql, Long.class);
		return (value != null) ? value : 0;
	}

}
