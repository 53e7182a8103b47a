package io.tether.server;

/**
 * Fuzzed requests against the server on PostgreSQL.
 */
class PostgresFuzzIT extends FuzzScenarios {

	@Override
	ServerScenarios.Database newDatabase() {
		return new PostgresServerIT().newDatabase();
	}

}
