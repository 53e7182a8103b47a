package io.tether.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL that integration tests run against, in this order:
 * {@code TETHER_TEST_DATABASE_URL} when set (a developer's local server, or CI's); else
 * one Testcontainers PostgreSQL shared by every test class of this JVM, started at the
 * first need and removed when the JVM exits; else a failure that names both ways. Each
 * test class gets a schema of its own, so runs never see each other's data.
 */
final class TestDatabases {

	static final String URL_VARIABLE = "TETHER_TEST_DATABASE_URL";

	private TestDatabases() {
	}

	static PostgresSchema postgres() {
		return PostgresSchema.create(adminUrl());
	}

	/**
	 * A superuser's URL (the container's user is one; a developer's URL is whatever they
	 * set).
	 */
	static String adminUrl() {
		String url = System.getenv(URL_VARIABLE);
		if (url != null && !url.isBlank()) {
			return url;
		}
		if (!TestPostgres.dockerAvailable()) {
			throw new IllegalStateException("PostgreSQL integration tests need a database: set " + URL_VARIABLE
					+ " (e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres) or run a Docker engine for"
					+ " Testcontainers (image " + TestPostgres.image() + ", built by"
					+ " deploy/docker/local-base-images.sh postgres)");
		}
		return Shared.postgres().adminUrl();
	}

	/**
	 * The container every test class shares: started once, on first use, so that a run
	 * pays the start-up once; stopped by a shutdown hook, as nothing else (Ryuk is off:
	 * its image cannot be pulled everywhere) would remove it.
	 */
	private static final class Shared {

		private static TestPostgres postgres;

		static synchronized TestPostgres postgres() {
			if (postgres == null) {
				TestPostgres started = TestPostgres
					.start("The PostgreSQL integration tests (" + URL_VARIABLE + " is not set)");
				Runtime.getRuntime().addShutdownHook(new Thread(started::close, "tether-test-postgres-stop"));
				postgres = started;
			}
			return postgres;
		}

	}

	/**
	 * A schema created for one test class and dropped after it.
	 */
	static final class PostgresSchema implements AutoCloseable {

		private final String baseUrl;

		private final String schema;

		private PostgresSchema(String baseUrl, String schema) {
			this.baseUrl = baseUrl;
			this.schema = schema;
		}

		static PostgresSchema create(String baseUrl) {
			String schema = "tether_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
			execute(baseUrl, "CREATE SCHEMA " + schema);
			return new PostgresSchema(baseUrl, schema);
		}

		String jdbcUrl() {
			return this.baseUrl + (this.baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + this.schema;
		}

		@Override
		public void close() {
			execute(this.baseUrl, "DROP SCHEMA " + this.schema + " CASCADE");
		}

		static void execute(String url, String sql) {
			try (Connection connection = DriverManager.getConnection(url);
					Statement statement = connection.createStatement()) {
				statement.execute(sql);
			}
			catch (SQLException ex) {
				throw new IllegalStateException(
						"Cannot run '" + sql.toLowerCase(Locale.ROOT) + "' on " + url + ": " + ex.getMessage(), ex);
			}
		}

	}

}
