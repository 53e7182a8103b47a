package io.tether.server.issuance;

/**
 * One rule of the issuance policy. Rules run in
 * {@link org.springframework.core.annotation.Order} and the first that refuses stops
 * issuance with an {@link io.tether.server.web.ApiException} naming the rule's problem
 * type.
 */
interface IssuanceRule {

	void check(IssuanceRequest request);

}
