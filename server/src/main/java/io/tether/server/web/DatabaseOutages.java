package io.tether.server.web;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionException;

/**
 * Tells a database that cannot be reached (down, restarting, refusing connections, a
 * connection cut mid-transaction) from a bug: the first is a 503 a client retries, the
 * second a 500. Either way the transaction did not commit, so nothing changed.
 */
@Component
public class DatabaseOutages {

	/** What a refused client is told to wait: about a database restart's length. */
	static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private final DataSource dataSource;

	DatabaseOutages(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/**
	 * Whether a failure is the database's absence. Connection failures say so by type or
	 * SQLSTATE; a connection that died mid-transaction often surfaces only as a failed
	 * rollback, so for any other database failure the database is asked directly.
	 */
	public boolean isOutage(Throwable ex) {
		boolean fromDatabase = false;
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof CannotCreateTransactionException || cause instanceof DataAccessResourceFailureException
					|| cause instanceof SQLTransientConnectionException
					|| cause instanceof SQLNonTransientConnectionException
					|| (cause instanceof SQLException sql && isConnectionState(sql.getSQLState()))) {
				return true;
			}
			fromDatabase |= cause instanceof SQLException || cause instanceof DataAccessException
					|| cause instanceof TransactionException
					|| cause instanceof jakarta.persistence.PersistenceException;
		}
		return fromDatabase && !reachable();
	}

	/**
	 * SQLSTATE class 08 is a connection exception in the standard; PostgreSQL adds 57P01
	 * to 57P03 for a server shutting down or starting up.
	 */
	private static boolean isConnectionState(String state) {
		return state != null && (state.startsWith("08") || state.startsWith("57P0"));
	}

	private boolean reachable() {
		try (Connection connection = this.dataSource.getConnection()) {
			return connection.isValid(2);
		}
		catch (SQLException | RuntimeException ex) {
			return false;
		}
	}

	static String describe(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

}
