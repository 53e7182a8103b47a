package io.tether.server.issuance;

import io.tether.server.TetherProperties;
import io.tether.server.web.ApiException;
import io.tether.server.web.ProblemType;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The SPIFFE ID must be a workload of this trust domain: not another trust domain's, not
 * the bare trust domain ID, and not one of the identities Tether reserves for itself
 * ({@code /tether/...}: the admin and the server).
 */
@Component
@Order(30)
class TrustDomainRule implements IssuanceRule {

	static final String RESERVED_PREFIX = "/tether/";

	private final String trustDomain;

	TrustDomainRule(TetherProperties properties) {
		this.trustDomain = properties.trustDomain();
	}

	@Override
	public void check(IssuanceRequest request) {
		if (!request.spiffeId().isMemberOf(this.trustDomain)) {
			throw new ApiException(ProblemType.TRUST_DOMAIN_MISMATCH, "'" + request.spiffeId()
					+ "' is not in trust domain '" + this.trustDomain + "', the only one this CA issues for");
		}
		if (request.spiffeId().isTrustDomainId()) {
			throw new ApiException(ProblemType.INVALID_SPIFFE_ID,
					"'" + request.spiffeId() + "' names the trust domain, not a workload; add a path");
		}
		if (request.spiffeId().path().startsWith(RESERVED_PREFIX) || request.spiffeId().path().equals("/tether")) {
			throw new ApiException(ProblemType.SAN_NOT_ALLOWED,
					"SPIFFE IDs under '" + RESERVED_PREFIX + "' are reserved for Tether's own identities");
		}
	}

}
