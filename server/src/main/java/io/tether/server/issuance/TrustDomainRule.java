package io.tether.server.issuance;

import io.tether.server.TetherProperties;
import io.tether.server.web.ApiException;
import io.tether.server.web.ProblemType;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The SPIFFE ID must be a workload of this trust domain: not another trust domain's, not
 * the bare trust domain ID, and not one of the identities Tether reserves
 * ({@code /tether/...}: the admin and the server; {@code /agent/...}: enrolled agents).
 */
@Component
@Order(30)
class TrustDomainRule implements IssuanceRule {

	static final String RESERVED_PREFIX = "/tether/";

	/** Agent identities come from enrollment only. */
	static final String AGENT_PREFIX = "/agent/";

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
		String path = request.spiffeId().path();
		if (request.purpose() == IssuanceRequest.Purpose.AGENT_IDENTITY) {
			if (!path.startsWith(AGENT_PREFIX)) {
				throw new IllegalStateException("An agent identity must be under " + AGENT_PREFIX + ": " + path);
			}
			return;
		}
		if (path.startsWith(RESERVED_PREFIX) || path.equals("/tether") || path.startsWith(AGENT_PREFIX)
				|| path.equals("/agent")) {
			throw new ApiException(ProblemType.SAN_NOT_ALLOWED, "SPIFFE IDs under '" + RESERVED_PREFIX + "' and '"
					+ AGENT_PREFIX + "' are reserved for Tether's own identities and enrolled agents");
		}
	}

}
