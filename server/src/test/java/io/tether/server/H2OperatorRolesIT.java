package io.tether.server;

/**
 * Operator role scenarios on the embedded H2 database.
 */
class H2OperatorRolesIT extends OperatorRoleScenarios {

	@Override
	ServerScenarios.Database newDatabase() {
		return ServerScenarios.Database.embedded();
	}

}
