package io.tether.server.issuance;

/**
 * One rule of an issuance policy ({@link IssuancePolicies}): refuses with an
 * {@link io.tether.server.web.ApiException} naming the rule's problem type, or passes.
 */
public interface IssuanceRule {

	void check(IssuanceRequest request);

}
