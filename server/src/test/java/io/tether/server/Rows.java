package io.tether.server;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every row of every table of the server's schema, to assert that a refused request
 * changed nothing. Flyway's own history is left out; everything Tether writes is in.
 */
final class Rows {

	private Rows() {
	}

	/**
	 * The rows of each table, in primary-key order, as text.
	 */
	record Snapshot(Map<String, List<String>> tables) {

		@Override
		public String toString() {
			return this.tables.toString();
		}

	}

	static Snapshot snapshot(JdbcTemplate jdbc) {
		Map<String, List<String>> tables = new TreeMap<>();
		for (String table : tables(jdbc)) {
			List<String> rows = new ArrayList<>();
			jdbc.query("select * from " + table + " order by 1", (ResultSet row) -> {
				StringBuilder text = new StringBuilder();
				for (int column = 1; column <= row.getMetaData().getColumnCount(); column++) {
					String label = row.getMetaData().getColumnLabel(column).toLowerCase(Locale.ROOT);
					if (SEALED_BY_THE_CLOCK.contains(label)) {
						continue;
					}
					text.append(label).append('=').append(row.getString(column)).append(' ');
				}
				rows.add(text.toString());
			});
			tables.put(table, rows);
		}
		return new Snapshot(tables);
	}

	/**
	 * Tables that scheduled jobs write whatever requests arrive: the jobs' own
	 * bookkeeping, and the CRLs, published again after a revocation and at half their
	 * validity from rows that are compared here ({@code certificate},
	 * {@code revocation_state}, {@code authority}).
	 */
	private static final List<String> MOVED_BY_THE_CLOCK = List.of("job_run", "shedlock", "crl", "audit_checkpoint");

	/**
	 * The audit chain's columns, which the sealer fills in a second after an event is
	 * written: a refused request must add no event, and the events compared here are
	 * those.
	 */
	private static final List<String> SEALED_BY_THE_CLOCK = List.of("chain_seq", "prev_hash", "chain_hash",
			"sealed_at");

	private static List<String> tables(JdbcTemplate jdbc) {
		return jdbc.execute((ConnectionCallback<List<String>>) (Connection connection) -> {
			List<String> names = new ArrayList<>();
			DatabaseMetaData metadata = connection.getMetaData();
			try (ResultSet tables = metadata.getTables(connection.getCatalog(), connection.getSchema(), "%",
					new String[] { "TABLE" })) {
				while (tables.next()) {
					String name = tables.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
					if (!name.startsWith("flyway_") && !MOVED_BY_THE_CLOCK.contains(name)) {
						names.add(name);
					}
				}
			}
			if (names.isEmpty()) {
				throw new SQLException("No tables found in schema " + connection.getSchema());
			}
			return names;
		});
	}

}
