package io.tether.server.issuance;

import java.time.Duration;
import java.util.List;

import io.tether.api.ProblemType;
import org.junit.jupiter.api.Test;

import static io.tether.server.issuance.IssuanceFixtures.MAX_TTL;
import static io.tether.server.issuance.IssuanceFixtures.MIN_TTL;
import static io.tether.server.issuance.IssuanceFixtures.SPIFFE_ID;
import static io.tether.server.issuance.IssuanceFixtures.assertRefused;
import static io.tether.server.issuance.IssuanceFixtures.properties;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link TtlRule}, with the range PT1M to PT24H.
 */
class TtlRuleTest {

	private final TtlRule rule = new TtlRule(properties());

	@Test
	void checkWhenTtlIsMinimumPasses() {
		assertThatNoException().isThrownBy(() -> this.rule.check(request(MIN_TTL)));
	}

	@Test
	void checkWhenTtlIsMaximumPasses() {
		assertThatNoException().isThrownBy(() -> this.rule.check(request(MAX_TTL)));
	}

	@Test
	void checkWhenTtlWithinRangePasses() {
		assertThatNoException().isThrownBy(() -> this.rule.check(request(Duration.ofHours(1))));
	}

	@Test
	void checkWhenTtlBelowMinimumIsRefused() {
		assertRefused(this.rule, request(MIN_TTL.minusSeconds(1)), ProblemType.TTL_OUT_OF_RANGE)
			.withMessage("TTL PT59S is outside the allowed range PT1M to PT24H");
	}

	@Test
	void checkWhenTtlAboveMaximumIsRefused() {
		assertRefused(this.rule, request(MAX_TTL.plusSeconds(1)), ProblemType.TTL_OUT_OF_RANGE)
			.withMessage("TTL PT24H1S is outside the allowed range PT1M to PT24H");
	}

	@Test
	void checkWhenTtlJustAboveMaximumByNanosIsRefused() {
		assertRefused(this.rule, request(MAX_TTL.plusNanos(1)), ProblemType.TTL_OUT_OF_RANGE)
			.withMessageContaining("outside the allowed range");
	}

	private static IssuanceRequest request(Duration ttl) {
		return IssuanceFixtures.request(SPIFFE_ID, List.of(), ttl);
	}

}
