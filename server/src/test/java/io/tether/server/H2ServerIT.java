package io.tether.server;

import java.util.Map;

/**
 * The server on its embedded default: H2 in a file under the data directory, KEK
 * generated there.
 */
class H2ServerIT extends ServerScenarios {

	@Override
	Database newDatabase() {
		return new Database() {

			@Override
			public Map<String, Object> properties() {
				return Map.of();
			}

			@Override
			public void close() {
			}

		};
	}

}
