package io.tether.server;

/**
 * The server on its embedded default: H2 in a file under the data directory, KEK
 * generated there.
 */
class H2ServerIT extends ServerScenarios {

	@Override
	Database newDatabase() {
		return Database.embedded();
	}

}
