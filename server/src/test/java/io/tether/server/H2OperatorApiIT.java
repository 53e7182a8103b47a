package io.tether.server;

/**
 * Operator API scenarios on the embedded H2 database.
 */
class H2OperatorApiIT extends OperatorApiScenarios {

	@Override
	ServerScenarios.Database newDatabase() {
		return new H2ServerIT().newDatabase();
	}

}
