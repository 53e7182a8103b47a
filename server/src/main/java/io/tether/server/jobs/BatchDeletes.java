package io.tether.server.jobs;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How the retention jobs delete: one {@code delete ... where key in (select key ... fetch
 * first N rows only)} after another, each in its own transaction (auto-commit), until a
 * batch comes back short, so that no transaction holds many rows and issuance never waits
 * long behind one.
 */
public final class BatchDeletes {

	private BatchDeletes() {
	}

	/**
	 * @param jdbc the database
	 * @param sql a delete whose subquery ends with {@code fetch first ? rows only}, the
	 * batch size given as {@code %d}
	 * @param batch rows per batch
	 * @param arguments the statement's arguments
	 * @return how many rows were deleted in all
	 */
	public static int delete(JdbcTemplate jdbc, String sql, int batch, Object... arguments) {
		String statement = sql.formatted(batch);
		int total = 0;
		int deleted;
		do {
			deleted = jdbc.update(statement, arguments);
			total += deleted;
		}
		while (deleted == batch);
		return total;
	}

}
