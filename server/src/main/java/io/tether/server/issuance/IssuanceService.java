package io.tether.server.issuance;

import io.tether.pki.CertificateProfile;
import io.tether.server.authority.CertificateAuthority.SignedCertificate;
import io.tether.server.certificate.CertificateIssuer;
import io.tether.server.certificate.CertificateLedger;

import org.springframework.stereotype.Service;

/**
 * Runs the policy of the request's purpose, then has the certificate signed and recorded.
 * Every rule runs before any signature is made; a refusal changes nothing.
 * {@link #issue(IssuanceRequest)} records in the caller's transaction;
 * {@link #issueGroupCommitted} through the ledger's group commit.
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
		return this.metrics.record(request.purpose(),
				() -> this.issuer.issue(checkedProfile(request), request.csr().publicKey(), request.requestedBy()));
	}

	/**
	 * Issues through the ledger's group commit: for requests that change nothing but the
	 * certificate, made outside any transaction.
	 * @param guard checks that must hold in the transaction that records the certificate
	 */
	public SignedCertificate issueGroupCommitted(IssuanceRequest request, CertificateLedger.Guard guard) {
		return this.metrics.record(request.purpose(), () -> this.issuer.issueGroupCommitted(checkedProfile(request),
				request.csr().publicKey(), request.requestedBy(), guard));
	}

	private CertificateProfile.Leaf checkedProfile(IssuanceRequest request) {
		this.policies.check(request);
		return (request.subject() != null)
				? new CertificateProfile.Leaf(request.spiffeId(), request.dnsNames(), request.ttl(), request.subject())
				: new CertificateProfile.Leaf(request.spiffeId(), request.dnsNames(), request.ttl());
	}

}
