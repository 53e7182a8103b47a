package io.tether.server;

/**
 * Fuzzed requests against the server on the embedded H2 database.
 */
class H2FuzzIT extends FuzzScenarios {

	@Override
	ServerScenarios.Database newDatabase() {
		return new H2ServerIT().newDatabase();
	}

}
