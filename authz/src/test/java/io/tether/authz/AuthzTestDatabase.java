package io.tether.authz;

import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A fresh in-memory H2 database with authz's migrations applied, for unit tests of the
 * classes that keep their state in it.
 */
final class AuthzTestDatabase {

	private AuthzTestDatabase() {
	}

	static JdbcTemplate create() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		Flyway.configure()
			.dataSource(dataSource)
			.locations("classpath:db/authz/h2")
			.table("authz_schema_history")
			.load()
			.migrate();
		return new JdbcTemplate(dataSource);
	}

}
