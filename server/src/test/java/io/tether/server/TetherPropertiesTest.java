package io.tether.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the checks {@link TetherProperties} makes at start.
 */
class TetherPropertiesTest {

	@Test
	void negativeReattestGraceIsRefusedNamingTheSetting() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TetherProperties.Agent(Duration.ofHours(24), Duration.ofSeconds(-1)))
			.withMessage("tether.agent.reattest-grace must not be negative (zero turns re-attestation off)");
	}

	@Test
	void zeroAgentTtlIsRefusedNamingTheSetting() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TetherProperties.Agent(Duration.ZERO, Duration.ofDays(7)))
			.withMessage("tether.agent.ttl must be positive");
	}

	@Test
	void anUnknownCaKeyStoreIsRefusedNamingTheChoices() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TetherProperties.Ca(Duration.ofDays(3650), Duration.ofDays(365),
					Duration.ofMinutes(1), "hsm", new TetherProperties.Pkcs11(null, null, null, null, null)))
			.withMessage("tether.ca.key-store must be 'kek' or 'pkcs11', not 'hsm'");
	}

	@Test
	void theCaKeyStoreSettingsBindFromTheEnvironmentVariablesTheDocsName() {
		Map<String, Object> environment = Map.of("TETHER_CA_KEY_STORE", "pkcs11", "TETHER_CA_PKCS11_LIBRARY",
				"/usr/lib/softhsm/libsofthsm2.so", "TETHER_CA_PKCS11_SLOT_LIST_INDEX", "2", "TETHER_CA_PKCS11_PIN",
				"1234", "TETHER_CA_PKCS11_PIN_FILE", "/run/secrets/pin");
		Binder binder = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
				StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment)));
		TetherProperties.Ca ca = binder.bindOrCreate("tether.ca", TetherProperties.Ca.class);
		assertThat(ca.inToken()).isTrue();
		assertThat(ca.pkcs11()).isEqualTo(new TetherProperties.Pkcs11(Path.of("/usr/lib/softhsm/libsofthsm2.so"), null,
				2, "1234", Path.of("/run/secrets/pin")));
	}

	@Test
	void zeroGraceIsAllowed() {
		assertThat(new TetherProperties.Agent(Duration.ofHours(24), Duration.ZERO).reattestGrace()).isZero();
	}

	@Test
	void aThrottleRateOfZeroIsRefusedNamingTheLimitAndHowToTurnItOff() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TetherProperties.Throttle.Enrollment(true, 0, Duration.ofMinutes(1), 60))
			.withMessage("tether.throttle.enrollment needs a rate and a burst of 1 to 1000000 and a period of "
					+ "1 second to 1 day (rate 0, period PT1M, burst 60); set tether.throttle.enrollment.enabled=false "
					+ "to turn it off");
	}

	@Test
	void aThrottlePeriodUnderASecondOrABurstOfZeroIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TetherProperties.Throttle.AgentIssuance(true, 10, Duration.ofMillis(10), 10))
			.withMessageStartingWith("tether.throttle.agent-issuance needs");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TetherProperties.Throttle.JoinTokenFailures(true, 5, Duration.ofMinutes(1), 0))
			.withMessageStartingWith("tether.throttle.join-token-failures needs");
	}

	@Test
	void aThrottleTableOfNoEntriesIsRefused() {
		TetherProperties.Throttle defaults = TetherProperties.Throttle.defaults();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TetherProperties.Throttle(defaults.enrollment(), defaults.joinTokenFailures(),
					defaults.agentIssuance(), 0))
			.withMessage("tether.throttle.max-tracked must be 1 to 10000000");
	}

}
