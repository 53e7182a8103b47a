package io.tether.server.issuance;

import io.tether.pki.CertificateProfile;
import io.tether.server.authority.CertificateAuthority.SignedCertificate;
import io.tether.server.certificate.CertificateIssuer;

import org.springframework.stereotype.Service;

/**
 * Runs the policy of the request's purpose, then has the certificate signed and recorded.
 * Every rule runs before any signature is made; a refusal changes nothing.
 */
@Service
public class IssuanceService {

	private final IssuancePolicies policies;

	private final CertificateIssuer issuer;

	private final IssuanceMetrics metrics;

	IssuanceService(IssuancePolicies policies, CertificateIssuer issuer, IssuanceMetrics metrics) {
		this.policies = policies;
		this.issuer = issuer;
		this.metrics = metrics;
	}

	public SignedCertificate issue(IssuanceRequest request) {
		return this.metrics.record(request.purpose(), () -> {
			this.policies.check(request);
			CertificateProfile.Leaf profile = (request.subject() != null)
					? new CertificateProfile.Leaf(request.spiffeId(), request.dnsNames(), request.ttl(),
							request.subject())
					: new CertificateProfile.Leaf(request.spiffeId(), request.dnsNames(), request.ttl());
			return this.issuer.issue(profile, request.csr().publicKey(), request.requestedBy());
		});
	}

}
