package io.tether.server.issuance;

import java.util.List;

import io.tether.pki.CertificateProfile;
import io.tether.server.authority.CertificateAuthority.SignedCertificate;
import io.tether.server.certificate.CertificateIssuer;

import org.springframework.stereotype.Service;

/**
 * Runs the policy chain over a request, then has the certificate signed and recorded.
 * Every rule runs before any signature is made; a refusal changes nothing.
 */
@Service
public class IssuanceService {

	private final List<IssuanceRule> rules;

	private final CertificateIssuer issuer;

	IssuanceService(List<IssuanceRule> rules, CertificateIssuer issuer) {
		this.rules = rules;
		this.issuer = issuer;
	}

	public SignedCertificate issue(IssuanceRequest request) {
		for (IssuanceRule rule : this.rules) {
			rule.check(request);
		}
		CertificateProfile.Leaf profile = new CertificateProfile.Leaf(request.spiffeId(), request.dnsNames(),
				request.ttl());
		return this.issuer.issue(profile, request.csr().publicKey(), request.requestedBy());
	}

}
