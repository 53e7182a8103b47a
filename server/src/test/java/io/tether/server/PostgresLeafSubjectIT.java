package io.tether.server;

/**
 * Leaf subject scenarios on PostgreSQL, where the V8 migration's columns meet a real
 * database.
 */
class PostgresLeafSubjectIT extends LeafSubjectScenarios {

	@Override
	ServerScenarios.Database newDatabase() {
		return new PostgresServerIT().newDatabase();
	}

}
