package io.tether.server;

/**
 * Entry deletion scenarios on PostgreSQL, where the revocations take row locks.
 */
class PostgresEntryDeletionIT extends EntryDeletionScenarios {

	@Override
	ServerScenarios.Database newDatabase() {
		return new PostgresServerIT().newDatabase();
	}

}
