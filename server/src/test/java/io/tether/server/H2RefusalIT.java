package io.tether.server;

/**
 * Refusal scenarios on the embedded H2 database.
 */
class H2RefusalIT extends RefusalScenarios {

	@Override
	ServerScenarios.Database newDatabase() {
		return new H2ServerIT().newDatabase();
	}

}
