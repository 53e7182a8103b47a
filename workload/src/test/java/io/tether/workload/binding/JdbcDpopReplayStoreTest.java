package io.tether.workload.binding;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import io.tether.pki.testing.ManualClock;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class JdbcDpopReplayStoreTest {

	private static final Instant NOW = Instant.parse("2026-11-25T09:00:00Z");

	private final ManualClock clock = new ManualClock(NOW);

	private static DataSource h2() {
		JdbcDataSource database = new JdbcDataSource();
		database.setURL("jdbc:h2:mem:jti-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
		return database;
	}

	@Test
	void firstUseWinsOnH2() {
		behavesAsAReplayStore(h2(), "tether_dpop_jti");
	}

	@Test
	void firstUseWinsOnPostgresql() throws SQLException {
		// the suite's PostgreSQL: TETHER_TEST_DATABASE_URL, else the local server;
		// without
		// one this test fails and says so, like every PostgreSQL test of the project
		String url = System.getenv()
			.getOrDefault("TETHER_TEST_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
		try (Connection probe = DriverManager.getConnection(url)) {
			assertThat(probe.isValid(2)).as("PostgreSQL at " + url).isTrue();
		}
		catch (SQLException ex) {
			throw new AssertionError("This test needs a PostgreSQL: set TETHER_TEST_DATABASE_URL or run one on "
					+ "127.0.0.1:5432 (user postgres); none at " + url + ": " + ex.getMessage(), ex);
		}
		String schema = "dpop_test_" + System.nanoTime();
		try (Connection connection = DriverManager.getConnection(url);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE SCHEMA " + schema);
		}
		try {
			PGSimpleDataSource database = new PGSimpleDataSource();
			database.setURL(url);
			behavesAsAReplayStore(database, schema + ".tether_dpop_jti");
		}
		finally {
			try (Connection connection = DriverManager.getConnection(url);
					Statement statement = connection.createStatement()) {
				statement.execute("DROP SCHEMA " + schema + " CASCADE");
			}
		}
	}

	private void behavesAsAReplayStore(DataSource database, String table) {
		// purged by hand below, not by the requests
		JdbcDpopReplayStore one = new JdbcDpopReplayStore(database, table, Duration.ofHours(1), this.clock);
		JdbcDpopReplayStore two = new JdbcDpopReplayStore(database, table, Duration.ofHours(1), this.clock);
		one.createTableIfMissing();
		two.createTableIfMissing();
		Instant expiry = NOW.plusSeconds(60);
		assertThat(one.firstUse("a", expiry)).isTrue();
		assertThat(one.firstUse("a", expiry)).isFalse();
		assertThat(two.firstUse("a", expiry)).isFalse();
		assertThat(two.firstUse("b", expiry)).isTrue();
		assertThat(one.firstUse("b", expiry)).isFalse();
		// once expired, the record may go: the proof is refused for its iat by then
		this.clock.advance(Duration.ofSeconds(61));
		assertThat(two.firstUse("a", this.clock.instant().plusSeconds(60))).isTrue();
		assertThat(one.firstUse("a", this.clock.instant().plusSeconds(60))).isFalse();
		assertThat(one.purgeExpired()).isEqualTo(1);
		assertThat(rows(database, table)).isEqualTo(1);
	}

	@Test
	void concurrentFirstUsesOfOneJtiHaveOneWinner() throws Exception {
		DataSource database = h2();
		JdbcDpopReplayStore store = new JdbcDpopReplayStore(database, this.clock);
		store.createTableIfMissing();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Callable<Boolean>> attempts = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				JdbcDpopReplayStore instance = new JdbcDpopReplayStore(database, this.clock);
				attempts.add(() -> instance.firstUse("same", NOW.plusSeconds(60)));
			}
			int winners = 0;
			for (Future<Boolean> result : pool.invokeAll(attempts)) {
				winners += result.get() ? 1 : 0;
			}
			assertThat(winners).isEqualTo(1);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void expiredRowsArePurgedByALaterRequest() {
		DataSource database = h2();
		JdbcDpopReplayStore store = new JdbcDpopReplayStore(database, this.clock);
		store.createTableIfMissing();
		store.firstUse("old-1", NOW.plusSeconds(60));
		store.firstUse("old-2", NOW.plusSeconds(60));
		this.clock.advance(Duration.ofMinutes(2));
		store.firstUse("new", this.clock.instant().plusSeconds(60));
		assertThat(rows(database, "tether_dpop_jti")).isEqualTo(1);
	}

	@Test
	void storeWithoutItsTableFailsClosed() {
		JdbcDpopReplayStore store = new JdbcDpopReplayStore(h2(), this.clock);
		assertThatIllegalStateException().isThrownBy(() -> store.firstUse("a", NOW.plusSeconds(60)))
			.withMessageStartingWith("The DPoP replay store cannot be reached: ");
	}

	@Test
	void tableNameMustBeAnIdentifier() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new JdbcDpopReplayStore(h2(), "jti; DROP TABLE x", Duration.ofMinutes(1), this.clock))
			.withMessage("'table' must be an SQL identifier, optionally schema-qualified: jti; DROP TABLE x");
	}

	@Test
	void inMemoryStoreRefusesWhenFullRatherThanForget() {
		InMemoryDpopReplayStore store = new InMemoryDpopReplayStore(2, this.clock);
		assertThat(store.firstUse("a", NOW.plusSeconds(60))).isTrue();
		assertThat(store.firstUse("b", NOW.plusSeconds(60))).isTrue();
		assertThatIllegalStateException().isThrownBy(() -> store.firstUse("c", NOW.plusSeconds(60)))
			.withMessage("The DPoP replay store is full (2 unexpired proofs); refusing rather than forgetting one");
		assertThat(store.firstUse("a", NOW.plusSeconds(60))).isFalse();
		this.clock.advance(Duration.ofSeconds(61));
		assertThat(store.firstUse("c", this.clock.instant().plusSeconds(60))).isTrue();
		assertThat(store.size()).isEqualTo(1);
	}

	private static int rows(DataSource database, String table) {
		try (Connection connection = database.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
			result.next();
			return result.getInt(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
