package io.tether.server.issuance;

import io.tether.server.TetherProperties;
import io.tether.server.identity.TetherIds;

import org.springframework.stereotype.Component;

/**
 * An agent identity is an agent ID of this trust domain. The server builds these requests
 * itself from the join token's or the certificate's agent name, so anything else is a
 * bug, not a refusal.
 */
@Component
class AgentIdentityRule implements IssuanceRule {

	private final String trustDomain;

	AgentIdentityRule(TetherProperties properties) {
		this.trustDomain = properties.trustDomain();
	}

	@Override
	public void check(IssuanceRequest request) {
		TrustDomainRule.requireMember(request.spiffeId(), this.trustDomain);
		if (!request.spiffeId().path().startsWith(TetherIds.AGENT_PREFIX)) {
			throw new IllegalStateException(
					"An agent identity must be under " + TetherIds.AGENT_PREFIX + ": " + request.spiffeId());
		}
	}

}
