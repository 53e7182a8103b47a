package io.tether.server;

import java.time.Duration;

import org.junit.jupiter.api.Test;

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
	void zeroGraceIsAllowed() {
		assertThat(new TetherProperties.Agent(Duration.ofHours(24), Duration.ZERO).reattestGrace()).isZero();
	}

}
