package io.tether.server.issuance;

import java.util.List;

import io.tether.server.issuance.IssuanceRequest.Purpose;

import org.springframework.stereotype.Component;

/**
 * One policy per way a certificate is asked for, in the manner of smallstep's
 * provisioners: each lists its rules, in the order they run, instead of global rules that
 * branch on the purpose. Every rule runs before anything is signed; the first refusal
 * stops issuance.
 */
@Component
public class IssuancePolicies {

	private final List<IssuanceRule> admin;

	private final List<IssuanceRule> agentWorkload;

	private final List<IssuanceRule> agentIdentity;

	IssuancePolicies(KeyTypeRule keyType, CsrSignatureRule csrSignature, TrustDomainRule workloadId,
			AgentIdentityRule agentId, EntryAssignedRule entryAssigned, TtlRule ttl, SanRule sans,
			ExactSansRule exactSans) {
		// an admin asks for any workload ID; the CSR's own SANs, if any, must match
		this.admin = List.of(keyType, csrSignature, workloadId, ttl, sans);
		// an agent asks for one of its entries, exactly as registered
		this.agentWorkload = List.of(keyType, csrSignature, entryAssigned, workloadId, ttl, sans, exactSans);
		// an agent's own identity; its lifetime is tether.agent.ttl, not asked for
		this.agentIdentity = List.of(keyType, csrSignature, agentId, sans);
	}

	/**
	 * The rules of one purpose, in the order they run.
	 * @param purpose the way the certificate is asked for
	 * @return the rules
	 */
	public List<IssuanceRule> rules(Purpose purpose) {
		return switch (purpose) {
			case ADMIN -> this.admin;
			case AGENT_WORKLOAD -> this.agentWorkload;
			case AGENT_IDENTITY -> this.agentIdentity;
		};
	}

	/**
	 * Runs the policy of the request's purpose.
	 * @param request the request
	 * @throws io.tether.server.web.ApiException from the first rule that refuses
	 */
	public void check(IssuanceRequest request) {
		for (IssuanceRule rule : rules(request.purpose())) {
			rule.check(request);
		}
	}

}
