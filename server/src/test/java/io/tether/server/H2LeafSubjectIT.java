package io.tether.server;

/**
 * Leaf subject scenarios on the embedded H2 database.
 */
class H2LeafSubjectIT extends LeafSubjectScenarios {

	@Override
	ServerScenarios.Database newDatabase() {
		return new H2ServerIT().newDatabase();
	}

}
