package io.tether.authz;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
import io.tether.pki.KeyEncryptionKey;
import io.tether.pki.testing.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Two authorization server instances on one PostgreSQL schema, as behind one address: a
 * token either issued is good on the other, through restarts of both, and the signing key
 * rotation one of them runs shows on the other.
 */
class SharedDatabaseIT {

	@TempDir
	Path dir;

	private PostgresSchema database;

	private AuthzFixture fixture;

	private final String kek = KeyEncryptionKey.generate(new SecureRandom()).toBase64();

	@BeforeEach
	void setUp() throws Exception {
		this.database = PostgresSchema.create();
		this.fixture = new AuthzFixture(this.dir);
	}

	@AfterEach
	void tearDown() {
		try {
			this.fixture.close();
		}
		finally {
			this.database.close();
		}
	}

	private ConfigurableApplicationContext start(ManualClock clock, String kek, String... more) {
		List<String> settings = new ArrayList<>(List.of("--spring.datasource.url=" + this.database.jdbcUrl(),
				"--tether.authz.kek=" + kek, "--tether.authz.data-dir=" + this.dir.resolve("unused")));
		settings.addAll(List.of(more));
		return this.fixture.start(clock, settings.toArray(String[]::new));
	}

	@Test
	void tokenOfOneInstanceIsActiveOnTheOtherAndStaysSoWhenBothRestart() throws Exception {
		ConfigurableApplicationContext a = start(null, this.kek);
		ConfigurableApplicationContext b = start(null, this.kek);
		String token = this.fixture.token(a);
		String revoked = this.fixture.token(b);
		assertThat(this.fixture.introspect(b, token).get("active").asBoolean()).isTrue();
		assertThat(this.fixture.introspect(b, token).get("client_id").asString()).isEqualTo(AuthzFixture.CLIENT);
		assertThat(this.fixture.verifies(b, token)).as("verifies with the other's JWKS").isTrue();
		assertThat(this.fixture.verifies(a, revoked)).isTrue();
		assertThat(this.fixture.jwks(a).getKeys()).map(JWK::getKeyID)
			.containsExactlyElementsOf(this.fixture.jwks(b).getKeys().stream().map(JWK::getKeyID).toList());

		this.fixture.revoke(a, revoked);
		assertThat(this.fixture.introspect(b, revoked).get("active").asBoolean()).as("revoked on the other").isFalse();
		String tampered = tamper(token);
		assertThat(this.fixture.introspect(b, tampered).get("active").asBoolean()).isFalse();
		assertThat(this.fixture.verifies(b, tampered)).isFalse();

		a.close();
		b.close();
		ConfigurableApplicationContext a2 = start(null, this.kek);
		ConfigurableApplicationContext b2 = start(null, this.kek);
		for (ConfigurableApplicationContext instance : List.of(a2, b2)) {
			assertThat(this.fixture.introspect(instance, token).get("active").asBoolean()).isTrue();
			assertThat(this.fixture.verifies(instance, token)).isTrue();
			assertThat(this.fixture.introspect(instance, revoked).get("active").asBoolean()).isFalse();
			assertThat(this.fixture.introspect(instance, tampered).get("active").asBoolean()).isFalse();
		}
		assertThat(SignedJWT.parse(this.fixture.token(b2)).getHeader().getKeyID()).as("the same key signs")
			.isEqualTo(SignedJWT.parse(token).getHeader().getKeyID());
	}

	@Test
	void instancesShareTheCasDatabaseWithoutTouchingItsTables() throws Exception {
		// what the CA's Flyway leaves, in part: its history and its own ShedLock table
		this.database.execute("create table flyway_schema_history (installed_rank int primary key, version"
				+ " varchar(50), description varchar(200) not null, type varchar(20) not null, script varchar(1000)"
				+ " not null, checksum int, installed_by varchar(100) not null, installed_on timestamp not null"
				+ " default now(), execution_time int not null, success boolean not null)");
		this.database.execute("insert into flyway_schema_history values (1, '1', 'initial schema', 'SQL',"
				+ " 'V1__initial_schema.sql', 1, 'tether', now(), 1, true)");
		this.database.execute("create table shedlock (name varchar(64) not null primary key, lock_until timestamp"
				+ " not null, locked_at timestamp not null, locked_by varchar(255) not null)");
		this.database.execute("insert into shedlock values ('crl-publish', now(), now(), 'ca')");
		ConfigurableApplicationContext a = start(null, this.kek);
		ConfigurableApplicationContext b = start(null, this.kek);
		assertThat(this.fixture.introspect(b, this.fixture.token(a)).get("active").asBoolean()).isTrue();
		assertThat(this.database.query("select count(*) from flyway_schema_history", Long.class)).isEqualTo(1);
		assertThat(this.database.query("select count(*) from shedlock", Long.class)).isEqualTo(1);
		assertThat(this.database.query("select count(*) from authz_schema_history where success", Long.class))
			.as("baseline, V1 and V2")
			.isEqualTo(3);
	}

	@Test
	void instanceWithAnotherKekRefusesToStartAndOneWithoutAKekIsToldWhatToSet() throws Exception {
		ConfigurableApplicationContext a = start(null, this.kek);
		String token = this.fixture.token(a);
		assertThatException().isThrownBy(() -> start(null, KeyEncryptionKey.generate(new SecureRandom()).toBase64()))
			.withStackTraceContaining("does not open")
			.withStackTraceContaining("tether.authz.kek");
		assertThatException().isThrownBy(() -> start(null, "")).withStackTraceContaining("TETHER_AUTHZ_KEK");
		assertThat(this.database.query("select count(*) from authz_signing_key", Long.class)).isEqualTo(1);
		assertThat(this.fixture.introspect(a, token).get("active").asBoolean()).isTrue();
	}

	@Test
	void rotationRunOnceShowsOnBothInstancesBeforeTheNewKeySigns() throws Exception {
		ManualClock clock = new ManualClock(Instant.now());
		String[] fast = { "--tether.authz.signing-key-rotation=PT10M", "--tether.authz.token-ttl=PT10M",
				"--tether.authz.key-reload=PT1S" };
		ConfigurableApplicationContext a = start(clock, this.kek, fast);
		ConfigurableApplicationContext b = start(clock, this.kek, fast);
		String old = this.fixture.token(a);
		String first = SignedJWT.parse(old).getHeader().getKeyID();

		clock.advance(Duration.ofMinutes(9).plusSeconds(1));
		await("both instances publish the prepared key", () -> jwksSize(a) == 2 && jwksSize(b) == 2);
		assertThat(this.database.query("select count(*) from authz_signing_key", Long.class)).as("one instance made it")
			.isEqualTo(2);
		assertThat(SignedJWT.parse(this.fixture.token(b)).getHeader().getKeyID()).as("prepared: signs nothing yet")
			.isEqualTo(first);

		clock.advance(Duration.ofMinutes(1));
		String fresh = this.fixture.token(b);
		String second = SignedJWT.parse(fresh).getHeader().getKeyID();
		assertThat(second).isNotEqualTo(first);
		assertThat(SignedJWT.parse(this.fixture.token(a)).getHeader().getKeyID()).isEqualTo(second);
		for (ConfigurableApplicationContext instance : List.of(a, b)) {
			assertThat(this.fixture.verifies(instance, old)).as("the retired key stays published").isTrue();
			assertThat(this.fixture.verifies(instance, fresh)).isTrue();
			assertThat(this.fixture.introspect(instance, old).get("active").asBoolean()).isTrue();
		}
	}

	private int jwksSize(ConfigurableApplicationContext authz) {
		try {
			return this.fixture.jwks(authz).getKeys().size();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void await(String what, BooleanSupplier condition) throws InterruptedException {
		Instant deadline = Instant.now().plusSeconds(15);
		while (!condition.getAsBoolean()) {
			assertThat(Instant.now()).as(what + " within 15 s").isBefore(deadline);
			Thread.sleep(100);
		}
	}

	/** The same header and claims with one signature byte changed. */
	static String tamper(String token) {
		int last = token.length() - 5;
		char changed = (token.charAt(last) == 'A') ? 'B' : 'A';
		return token.substring(0, last) + changed + token.substring(last + 1);
	}

}
