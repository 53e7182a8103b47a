package io.tether.server.issuance;

import java.time.Duration;

import io.tether.api.ProblemType;
import io.tether.pki.SpiffeId;
import org.junit.jupiter.api.Test;

import static io.tether.server.issuance.IssuanceFixtures.assertRefused;
import static io.tether.server.issuance.IssuanceFixtures.csr;
import static io.tether.server.issuance.IssuanceFixtures.properties;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link AgentIdentityRule}.
 */
class AgentIdentityRuleTest {

	private final AgentIdentityRule rule = new AgentIdentityRule(properties());

	@Test
	void checkWhenAgentIdOfThisTrustDomainPasses() {
		assertThatNoException().isThrownBy(() -> this.rule.check(identity("spiffe://example.org/agent/host-1")));
	}

	@Test
	void checkWhenAgentIdOfAnotherTrustDomainIsRefused() {
		assertRefused(this.rule, identity("spiffe://other.org/agent/host-1"), ProblemType.TRUST_DOMAIN_MISMATCH);
	}

	@Test
	void checkWhenNotAnAgentIdIsABug() {
		assertThatIllegalStateException().isThrownBy(() -> this.rule.check(identity("spiffe://example.org/ns/web")))
			.withMessageContaining("/agent/");
	}

	private static IssuanceRequest identity(String id) {
		SpiffeId agent = SpiffeId.parse(id);
		return IssuanceRequest.agentIdentity(csr(agent), agent, Duration.ofHours(24));
	}

}
