package io.tether.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL that integration tests run against: {@code TETHER_TEST_DATABASE_URL}
 * when set (CI, or a developer's local server), else a Testcontainers PostgreSQL when a
 * Docker engine is there, else a failure that says which of the two to provide. Each test
 * class gets a schema of its own, so runs never see each other's data.
 */
final class TestDatabases {

	static final String URL_VARIABLE = "TETHER_TEST_DATABASE_URL";

	private TestDatabases() {
	}

	static PostgresSchema postgres() {
		String url = System.getenv(URL_VARIABLE);
		if (url != null && !url.isBlank()) {
			return PostgresSchema.create(url, null);
		}
		if (dockerAvailable()) {
			PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
			container.start();
			String containerUrl = container.getJdbcUrl() + "&user=" + container.getUsername() + "&password="
					+ container.getPassword();
			return PostgresSchema.create(containerUrl, container);
		}
		throw new IllegalStateException("PostgreSQL integration tests need a database: set " + URL_VARIABLE
				+ " (e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres) or run a Docker engine for Testcontainers");
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/**
	 * A schema created for one test class and dropped after it.
	 */
	static final class PostgresSchema implements AutoCloseable {

		private final String baseUrl;

		private final String schema;

		private final PostgreSQLContainer container;

		private PostgresSchema(String baseUrl, String schema, PostgreSQLContainer container) {
			this.baseUrl = baseUrl;
			this.schema = schema;
			this.container = container;
		}

		static PostgresSchema create(String baseUrl, PostgreSQLContainer container) {
			String schema = "tether_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
			execute(baseUrl, "CREATE SCHEMA " + schema);
			return new PostgresSchema(baseUrl, schema, container);
		}

		String jdbcUrl() {
			return this.baseUrl + (this.baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + this.schema;
		}

		@Override
		public void close() {
			try {
				execute(this.baseUrl, "DROP SCHEMA " + this.schema + " CASCADE");
			}
			finally {
				if (this.container != null) {
					this.container.stop();
				}
			}
		}

		private static void execute(String url, String sql) {
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
