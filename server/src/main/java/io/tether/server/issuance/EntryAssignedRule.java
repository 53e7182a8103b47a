package io.tether.server.issuance;

import io.tether.api.ProblemType;
import io.tether.pki.SpiffeId;
import io.tether.server.TetherProperties;
import io.tether.server.identity.AgentNames;
import io.tether.server.web.ApiException;

import org.springframework.stereotype.Component;

/**
 * An agent obtains certificates for its own entries only, and exactly as registered: the
 * entry must exist, be assigned to the requesting agent, and name the request's SPIFFE
 * ID, DNS names and lifetime. An entry of another agent is reported like a missing one,
 * so that agents cannot probe for each other's entries.
 */
@Component
class EntryAssignedRule implements IssuanceRule {

	private final RegisteredEntries entries;

	private final String trustDomain;

	EntryAssignedRule(RegisteredEntries entries, TetherProperties properties) {
		this.entries = entries;
		this.trustDomain = properties.trustDomain();
	}

	@Override
	public void check(IssuanceRequest request) {
		String agent = AgentNames.nameOf(SpiffeId.parse(request.requestedBy()), this.trustDomain);
		boolean assigned = request.entryId() != null && agent != null
				&& this.entries.find(request.entryId())
					.filter((entry) -> entry.agent().equals(agent))
					.filter((entry) -> entry.spiffeId().equals(request.spiffeId())
							&& entry.dnsNames().equals(request.dnsNames()) && entry.ttl().equals(request.ttl()))
					.isPresent();
		if (!assigned) {
			throw new ApiException(ProblemType.ENTRY_NOT_ASSIGNED,
					"Entry " + request.entryId() + " is not assigned to agent '" + agent + "'");
		}
	}

}
