package io.tether.server;

import java.security.SecureRandom;
import java.util.Map;

import io.tether.pki.KeyEncryptionKey;

/**
 * The server on PostgreSQL, in a schema of its own, with the KEK supplied as production
 * must supply it.
 */
class PostgresServerIT extends ServerScenarios {

	@Override
	Database newDatabase() {
		TestDatabases.PostgresSchema schema = TestDatabases.postgres();
		String kek = KeyEncryptionKey.generate(new SecureRandom()).toBase64();
		return new Database() {

			@Override
			public Map<String, Object> properties() {
				return Map.of("spring.datasource.url", schema.jdbcUrl(), "tether.kek", kek);
			}

			@Override
			public void close() {
				schema.close();
			}

		};
	}

}
