package io.tether.server;

/**
 * Operator API scenarios on PostgreSQL, where the audit and certificate queries meet a
 * real database.
 */
class PostgresOperatorApiIT extends OperatorApiScenarios {

	@Override
	ServerScenarios.Database newDatabase() {
		return new PostgresServerIT().newDatabase();
	}

}
