package io.tether.server;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.tether.pki.KeyEncryptionKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.util.FileSystemUtils;

import static io.tether.server.ServerScenarios.assertProblem;
import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database goes away under a running server: requests are refused with 503 and
 * {@code Retry-After} (not 500, "a bug"), nothing is half-written, and the server serves
 * again by itself once the database is back. The outage is real: the server's own
 * PostgreSQL role is barred from logging in and its connections are terminated.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresOutageIT {

	private final String role = "tether_outage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

	private String adminUrl;

	private Path workDir;

	private RunningServer server;

	@BeforeAll
	void start() throws IOException {
		this.adminUrl = TestDatabases.adminUrl();
		// a password, as the container's PostgreSQL authenticates network clients by one
		String password = UUID.randomUUID().toString();
		execute("CREATE ROLE " + this.role + " LOGIN PASSWORD '" + password + "'");
		execute("CREATE SCHEMA " + this.role + " AUTHORIZATION " + this.role);
		String url = this.adminUrl.replaceAll("([?&])password=[^&]*&?", "$1")
			.replaceAll("[?&]$", "")
			.replaceAll("user=[^&]*", "user=" + this.role) + (this.adminUrl.contains("?") ? "&" : "?") + "password="
				+ password + "&currentSchema=" + this.role;
		this.workDir = Files.createTempDirectory("tether-outage-it");
		this.server = RunningServer.start(this.workDir.resolve("data"),
				Map.of("spring.datasource.url", url, "tether.kek",
						KeyEncryptionKey.generate(new SecureRandom()).toBase64(), "tether.trust-domain",
						"outage.example", "spring.datasource.hikari.connection-timeout", "1000"));
	}

	@AfterAll
	void stop() {
		try {
			if (this.server != null) {
				this.server.close();
			}
		}
		finally {
			execute("ALTER ROLE " + this.role + " LOGIN");
			execute("DROP SCHEMA IF EXISTS " + this.role + " CASCADE");
			execute("DROP ROLE IF EXISTS " + this.role);
			FileSystemUtils.deleteRecursively(this.workDir.toFile());
		}
	}

	@Test
	void databaseOutageIsA503WithRetryAfterAndTheServerRecoversByItself() {
		String body = json.writeValueAsString(Map.of("agent", "host-outage"));
		assertThat(this.server.postJson(this.server.adminClient(), "/v1/join-tokens", body).statusCode())
			.isEqualTo(201);

		execute("ALTER ROLE " + this.role + " NOLOGIN");
		execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + this.role + "'");
		for (String path : new String[] { "/v1/status", "/v1/entries", "/v1/audit" }) {
			HttpResponse<String> refused = this.server.get(this.server.adminClient(), path);
			assertProblem(refused, 503, "unavailable");
			assertThat(refused.headers().firstValue("Retry-After")).as(path).hasValue("5");
		}
		HttpResponse<String> write = this.server.postJson(this.server.adminClient(), "/v1/join-tokens", body);
		assertProblem(write, 503, "unavailable");

		execute("ALTER ROLE " + this.role + " LOGIN");
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		HttpResponse<String> status;
		do {
			status = this.server.get(this.server.adminClient(), "/v1/status");
		}
		while (status.statusCode() != 200 && Instant.now().isBefore(deadline));
		assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
		Long tokens = this.server.bean(org.springframework.jdbc.core.JdbcTemplate.class)
			.queryForObject("select count(*) from join_token", Long.class);
		assertThat(tokens).as("the token created before the outage, and none from the refused request").isEqualTo(1);
	}

	private void execute(String sql) {
		try (Connection connection = DriverManager.getConnection(this.adminUrl);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot run '" + sql + "': " + ex.getMessage(), ex);
		}
	}

}
