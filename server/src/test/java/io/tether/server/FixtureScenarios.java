package io.tether.server;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One running server per scenario class, on the database a subclass picks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FixtureScenarios {

	ApiFixture fixture;

	RunningServer server;

	abstract ServerScenarios.Database newDatabase();

	/**
	 * Server settings a scenario class needs on top of the fixture's.
	 */
	Map<String, Object> settings() {
		return Map.of();
	}

	@BeforeAll
	void startServer() throws IOException {
		this.fixture = ApiFixture.start(newDatabase(), settings());
		this.server = this.fixture.server();
	}

	@AfterAll
	void stopServer() {
		if (this.fixture != null) {
			this.fixture.close();
		}
	}

}
