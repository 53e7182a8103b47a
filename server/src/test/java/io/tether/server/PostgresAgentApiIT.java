package io.tether.server;

/**
 * Agent API scenarios on PostgreSQL, where the single-use join token update and the
 * unique constraints meet a real database.
 */
class PostgresAgentApiIT extends AgentApiScenarios {

	@Override
	ServerScenarios.Database newDatabase() {
		return new PostgresServerIT().newDatabase();
	}

}
