package io.tether.server.issuance;

import java.util.HashSet;
import java.util.List;

import io.tether.api.ProblemType;
import io.tether.server.web.ApiException;

import org.springframework.stereotype.Component;

/**
 * Agents ask for exactly what their entry says: the CSR must name the SPIFFE ID and every
 * DNS name of the entry, and nothing else.
 */
@Component
class ExactSansRule implements IssuanceRule {

	@Override
	public void check(IssuanceRequest request) {
		List<String> csrUris = request.csr().requestedUris();
		if (!csrUris.equals(List.of(request.spiffeId().toString()))) {
			throw new ApiException(ProblemType.SAN_NOT_ALLOWED, "The CSR must ask for exactly the URI SAN "
					+ request.spiffeId() + " of its entry; it asks for " + csrUris);
		}
		List<String> csrDnsNames = request.csr().requestedDnsNames();
		if (!SanRule.lowerCaseSet(csrDnsNames).equals(new HashSet<>(request.dnsNames()))
				|| csrDnsNames.size() != request.dnsNames().size()) {
			throw new ApiException(ProblemType.SAN_NOT_ALLOWED, "The CSR must ask for exactly the DNS names "
					+ request.dnsNames() + " of its entry; it asks for " + csrDnsNames);
		}
	}

}
