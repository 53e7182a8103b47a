package io.tether.server;

/**
 * Agent API scenarios on the embedded H2 database.
 */
class H2AgentApiIT extends AgentApiScenarios {

	@Override
	ServerScenarios.Database newDatabase() {
		return new H2ServerIT().newDatabase();
	}

}
