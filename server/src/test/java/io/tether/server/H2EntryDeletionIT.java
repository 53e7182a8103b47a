package io.tether.server;

/**
 * Entry deletion scenarios on the embedded H2 database.
 */
class H2EntryDeletionIT extends EntryDeletionScenarios {

	@Override
	ServerScenarios.Database newDatabase() {
		return new H2ServerIT().newDatabase();
	}

}
