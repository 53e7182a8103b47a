package io.tether.workload.binding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import javax.sql.DataSource;

/**
 * A {@link DpopReplayStore} in a database table, so that every instance of a resource
 * server behind one address refuses a proof any of them has accepted. The primary key
 * makes the check atomic across instances: the first insert of a {@code jti} wins, a
 * second one violates the key. The table (tested on PostgreSQL and H2):
 *
 * <pre>
 * CREATE TABLE IF NOT EXISTS tether_dpop_jti (
 *     jti_hash   VARCHAR(64) PRIMARY KEY,   -- base64url(SHA-256(jti)): fixed size whatever the client sent
 *     expires_at BIGINT      NOT NULL       -- epoch milliseconds
 * )
 * </pre>
 *
 * {@link #createTableIfMissing()} creates it (or let a migration tool do it). Expired
 * rows are deleted by the request that comes at least {@code purgeInterval} after the
 * last purge (no thread of its own), and an expired row met on insert is replaced.
 * <p>
 * Thread-safe; share one per data source.
 */
public final class JdbcDpopReplayStore implements DpopReplayStore {

	private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

	private final DataSource dataSource;

	private final String table;

	private final Duration purgeInterval;

	private final Clock clock;

	private final AtomicLong nextPurge = new AtomicLong(Long.MIN_VALUE);

	/**
	 * A store in {@code tether_dpop_jti}, purged at most once a minute.
	 * @param dataSource the shared database
	 * @param clock the time source
	 */
	public JdbcDpopReplayStore(DataSource dataSource, Clock clock) {
		this(dataSource, "tether_dpop_jti", Duration.ofMinutes(1), clock);
	}

	/**
	 * @param dataSource the shared database
	 * @param table the table name, optionally schema-qualified ({@code schema.table})
	 * @param purgeInterval how often expired rows are deleted
	 * @param clock the time source
	 * @throws IllegalArgumentException if the table name is not a plain SQL identifier
	 */
	public JdbcDpopReplayStore(DataSource dataSource, String table, Duration purgeInterval, Clock clock) {
		this.dataSource = Objects.requireNonNull(dataSource, "'dataSource' must not be null");
		Objects.requireNonNull(table, "'table' must not be null");
		if (!TABLE_NAME.matcher(table).matches()) {
			throw new IllegalArgumentException(
					"'table' must be an SQL identifier, optionally schema-qualified: " + table);
		}
		this.table = table;
		this.purgeInterval = Objects.requireNonNull(purgeInterval, "'purgeInterval' must not be null");
		this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
	}

	/**
	 * Creates the table if it does not exist yet.
	 * @throws IllegalStateException if the database refuses
	 */
	public void createTableIfMissing() {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE IF NOT EXISTS " + this.table
					+ " (jti_hash VARCHAR(64) PRIMARY KEY, expires_at BIGINT NOT NULL)");
			commit(connection);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(
					"Cannot create the DPoP replay table " + this.table + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public boolean firstUse(String jti, Instant expiresAt) {
		Objects.requireNonNull(jti, "'jti' must not be null");
		Objects.requireNonNull(expiresAt, "'expiresAt' must not be null");
		long now = this.clock.millis();
		String key = hash(jti);
		try (Connection connection = this.dataSource.getConnection()) {
			purgeIfDue(connection, now);
			if (insert(connection, key, expiresAt.toEpochMilli())) {
				return true;
			}
			// seen before: a replay, unless that record has expired (and was not purged
			// yet)
			try (PreparedStatement delete = connection
				.prepareStatement("DELETE FROM " + this.table + " WHERE jti_hash = ? AND expires_at <= ?")) {
				delete.setString(1, key);
				delete.setLong(2, now);
				int deleted = delete.executeUpdate();
				commit(connection);
				return deleted == 1 && insert(connection, key, expiresAt.toEpochMilli());
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("The DPoP replay store cannot be reached: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Deletes every expired row now.
	 * @return how many rows went
	 * @throws IllegalStateException if the database refuses
	 */
	public int purgeExpired() {
		try (Connection connection = this.dataSource.getConnection()) {
			return purge(connection, this.clock.millis());
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot purge the DPoP replay table: " + ex.getMessage(), ex);
		}
	}

	private void purgeIfDue(Connection connection, long now) throws SQLException {
		long due = this.nextPurge.get();
		if (now >= due && this.nextPurge.compareAndSet(due, now + this.purgeInterval.toMillis())) {
			purge(connection, now);
		}
	}

	private int purge(Connection connection, long now) throws SQLException {
		try (PreparedStatement delete = connection
			.prepareStatement("DELETE FROM " + this.table + " WHERE expires_at <= ?")) {
			delete.setLong(1, now);
			int deleted = delete.executeUpdate();
			commit(connection);
			return deleted;
		}
	}

	private boolean insert(Connection connection, String key, long expiresAt) throws SQLException {
		try (PreparedStatement insert = connection
			.prepareStatement("INSERT INTO " + this.table + " (jti_hash, expires_at) VALUES (?, ?)")) {
			insert.setString(1, key);
			insert.setLong(2, expiresAt);
			insert.executeUpdate();
			commit(connection);
			return true;
		}
		catch (SQLException ex) {
			// SQLSTATE class 23: integrity constraint violation (the primary key)
			if (ex.getSQLState() != null && ex.getSQLState().startsWith("23")) {
				if (!connection.getAutoCommit()) {
					connection.rollback();
				}
				return false;
			}
			throw ex;
		}
	}

	private static void commit(Connection connection) throws SQLException {
		if (!connection.getAutoCommit()) {
			connection.commit();
		}
	}

	static String hash(String jti) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(jti.getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
