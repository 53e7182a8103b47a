package io.tether.server;

/**
 * Re-attestation scenarios on PostgreSQL, where the agent and certificate row locks meet
 * a real database.
 */
class PostgresReattestIT extends ReattestScenarios {

	@Override
	ServerScenarios.Database newDatabase() {
		return new PostgresServerIT().newDatabase();
	}

}
