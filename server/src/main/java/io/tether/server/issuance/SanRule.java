package io.tether.server.issuance;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.tether.api.ProblemType;
import io.tether.server.TetherProperties;
import io.tether.server.web.ApiException;
import io.tether.server.web.RequestFields;

import org.springframework.stereotype.Component;

/**
 * Requested DNS names must fall under {@code tether.issuance.allowed-dns-suffixes} when
 * that is set, and the SANs the CSR itself asks for, if any, must be exactly those of the
 * request: a CSR asking for something else was made for another purpose.
 */
@Component
class SanRule implements IssuanceRule {

	static final int MAX_DNS_NAMES = RequestFields.MAX_DNS_NAMES;

	private final List<String> allowedSuffixes;

	SanRule(TetherProperties properties) {
		this.allowedSuffixes = properties.issuance()
			.allowedDnsSuffixes()
			.stream()
			.map((suffix) -> suffix.toLowerCase(Locale.ROOT))
			.toList();
	}

	@Override
	public void check(IssuanceRequest request) {
		if (request.dnsNames().size() > MAX_DNS_NAMES) {
			throw new ApiException(ProblemType.SAN_NOT_ALLOWED,
					"At most " + MAX_DNS_NAMES + " DNS names per certificate");
		}
		if (!this.allowedSuffixes.isEmpty()) {
			for (String name : request.dnsNames()) {
				if (this.allowedSuffixes.stream()
					.noneMatch((suffix) -> name.equals(suffix) || name.endsWith("." + suffix))) {
					throw new ApiException(ProblemType.SAN_NOT_ALLOWED,
							"DNS name '" + name + "' is not under an allowed suffix " + this.allowedSuffixes);
				}
			}
		}
		if (request.csr().requestsOtherNames()) {
			throw new ApiException(ProblemType.SAN_NOT_ALLOWED,
					"The CSR asks for SANs other than URI and DNS names (e-mail, IP...), which Tether does not issue");
		}
		List<String> csrUris = request.csr().requestedUris();
		if (!csrUris.isEmpty() && !csrUris.equals(List.of(request.spiffeId().toString()))) {
			throw new ApiException(ProblemType.SAN_NOT_ALLOWED,
					"The CSR asks for URI SANs " + csrUris + " but the request is for " + request.spiffeId());
		}
		List<String> csrDnsNames = request.csr().requestedDnsNames();
		if (!csrDnsNames.isEmpty() && !lowerCaseSet(csrDnsNames).equals(new HashSet<>(request.dnsNames()))) {
			throw new ApiException(ProblemType.SAN_NOT_ALLOWED,
					"The CSR asks for DNS names " + csrDnsNames + " but the request is for " + request.dnsNames());
		}
	}

	static Set<String> lowerCaseSet(List<String> names) {
		Set<String> set = new HashSet<>();
		names.forEach((name) -> set.add(name.toLowerCase(Locale.ROOT)));
		return set;
	}

}
