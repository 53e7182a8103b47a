package io.tether.server.issuance;

import io.tether.api.ProblemType;
import io.tether.pki.SpiffeId;
import io.tether.server.TetherProperties;
import io.tether.server.identity.TetherIds;
import io.tether.server.web.ApiException;

import org.springframework.stereotype.Component;

/**
 * The SPIFFE ID must be a workload of this trust domain: not another trust domain's, not
 * the bare trust domain ID, and not one of the identities Tether reserves
 * ({@code /tether/...}: the admin and the server; {@code /agent/...}: enrolled agents).
 */
@Component
public class TrustDomainRule implements IssuanceRule {

	private final String trustDomain;

	TrustDomainRule(TetherProperties properties) {
		this.trustDomain = properties.trustDomain();
	}

	@Override
	public void check(IssuanceRequest request) {
		checkWorkloadId(request.spiffeId(), this.trustDomain);
	}

	/**
	 * The rule for any workload ID, also applied when a registration entry is created so
	 * that an entry that could never be issued is refused up front.
	 */
	public static void checkWorkloadId(SpiffeId spiffeId, String trustDomain) {
		requireMember(spiffeId, trustDomain);
		if (TetherIds.isReserved(spiffeId)) {
			throw new ApiException(ProblemType.SAN_NOT_ALLOWED, "SPIFFE IDs under '" + TetherIds.OWN_PREFIX + "' and '"
					+ TetherIds.AGENT_PREFIX + "' are reserved for Tether's own identities and enrolled agents");
		}
	}

	static void requireMember(SpiffeId spiffeId, String trustDomain) {
		if (!spiffeId.isMemberOf(trustDomain)) {
			throw new ApiException(ProblemType.TRUST_DOMAIN_MISMATCH,
					"'" + spiffeId + "' is not in trust domain '" + trustDomain + "', the only one this CA issues for");
		}
		if (spiffeId.isTrustDomainId()) {
			throw new ApiException(ProblemType.INVALID_SPIFFE_ID,
					"'" + spiffeId + "' names the trust domain, not a workload; add a path");
		}
	}

}
