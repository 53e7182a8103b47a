package io.tether.server;

/**
 * The server on PostgreSQL, in a schema of its own, with the KEK supplied as production
 * must supply it.
 */
class PostgresServerIT extends ServerScenarios {

	@Override
	Database newDatabase() {
		return Database.postgres();
	}

}
