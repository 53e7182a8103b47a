package io.tether.server;

/**
 * Re-attestation scenarios on the embedded H2 database.
 */
class H2ReattestIT extends ReattestScenarios {

	@Override
	ServerScenarios.Database newDatabase() {
		return new H2ServerIT().newDatabase();
	}

}
