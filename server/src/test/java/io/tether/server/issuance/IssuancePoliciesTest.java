package io.tether.server.issuance;

import java.util.List;
import java.util.Optional;

import io.tether.server.TetherProperties;
import io.tether.server.issuance.IssuanceRequest.Purpose;
import org.junit.jupiter.api.Test;

import static io.tether.server.issuance.IssuanceFixtures.properties;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each way of asking for a certificate has its own policy, and each policy lists its
 * rules: these tests are that list, so a rule added to or dropped from a policy is a
 * visible change.
 */
class IssuancePoliciesTest {

	private final IssuancePolicies policies = policies(properties());

	@Test
	void adminPolicyChecksKeyProofWorkloadIdTtlAndSans() {
		assertThat(ruleNames(Purpose.ADMIN)).containsExactly("KeyTypeRule", "CsrSignatureRule", "TrustDomainRule",
				"TtlRule", "SanRule");
	}

	@Test
	void agentWorkloadPolicyAlsoChecksTheEntryIsTheAgentsAndTheCsrNamesExactlyItsSans() {
		assertThat(ruleNames(Purpose.AGENT_WORKLOAD)).containsExactly("KeyTypeRule", "CsrSignatureRule",
				"EntryAssignedRule", "TrustDomainRule", "TtlRule", "SanRule", "ExactSansRule");
	}

	@Test
	void agentIdentityPolicyChecksTheAgentIdAndNoRequestedTtl() {
		assertThat(ruleNames(Purpose.AGENT_IDENTITY)).containsExactly("KeyTypeRule", "CsrSignatureRule",
				"AgentIdentityRule", "SanRule");
	}

	@Test
	void everyPurposeHasAPolicyThatVerifiesTheCsrSignatureBeforeAnythingIsSigned() {
		for (Purpose purpose : Purpose.values()) {
			assertThat(ruleNames(purpose)).as(purpose.name()).startsWith("KeyTypeRule", "CsrSignatureRule");
		}
	}

	private List<String> ruleNames(Purpose purpose) {
		return this.policies.rules(purpose).stream().map((rule) -> rule.getClass().getSimpleName()).toList();
	}

	static IssuancePolicies policies(TetherProperties properties) {
		return new IssuancePolicies(new KeyTypeRule(properties), new CsrSignatureRule(),
				new TrustDomainRule(properties), new AgentIdentityRule(properties),
				new EntryAssignedRule((id) -> Optional.empty(), properties), new TtlRule(properties),
				new SanRule(properties), new ExactSansRule());
	}

}
