package io.tether.server;

/**
 * Refusal scenarios on PostgreSQL, which refuses NUL bytes and timestamps H2 takes.
 */
class PostgresRefusalIT extends RefusalScenarios {

	@Override
	ServerScenarios.Database newDatabase() {
		return new PostgresServerIT().newDatabase();
	}

}
