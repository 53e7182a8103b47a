package io.tether.authz;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A PostgreSQL schema of one test's own, dropped after it: on
 * {@code TETHER_TEST_DATABASE_URL} when set (CI), else on the local PostgreSQL at
 * 127.0.0.1:5432 as user postgres. A failure to reach either says which to provide.
 */
final class PostgresSchema implements AutoCloseable {

	private static final String URL_VARIABLE = "TETHER_TEST_DATABASE_URL";

	private final String baseUrl;

	private final String schema;

	private PostgresSchema(String baseUrl, String schema) {
		this.baseUrl = baseUrl;
		this.schema = schema;
	}

	static PostgresSchema create() {
		String url = System.getenv(URL_VARIABLE);
		if (url == null || url.isBlank()) {
			url = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
		}
		String schema = "authz_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		execute(url, "create schema " + schema);
		return new PostgresSchema(url, schema);
	}

	String jdbcUrl() {
		return this.baseUrl + (this.baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + this.schema;
	}

	void execute(String sql) {
		execute(jdbcUrl(), sql);
	}

	<T> T query(String sql, Class<T> type) {
		try (Connection connection = DriverManager.getConnection(jdbcUrl());
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getObject(1, type);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot run '" + sql + "': " + ex.getMessage(), ex);
		}
	}

	@Override
	public void close() {
		execute(this.baseUrl, "drop schema " + this.schema + " cascade");
	}

	private static void execute(String url, String sql) {
		try (Connection connection = DriverManager.getConnection(url);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot run '" + sql + "' on " + url + ": " + ex.getMessage()
					+ ". PostgreSQL tests need a database: set " + URL_VARIABLE
					+ " (e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres) or run one on 127.0.0.1:5432", ex);
		}
	}

}
