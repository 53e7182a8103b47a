package io.tether.server;

/**
 * Operator role scenarios on PostgreSQL.
 */
class PostgresOperatorRolesIT extends OperatorRoleScenarios {

	@Override
	ServerScenarios.Database newDatabase() {
		return ServerScenarios.Database.postgres();
	}

}
