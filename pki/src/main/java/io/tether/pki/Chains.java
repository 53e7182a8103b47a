package io.tether.pki;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * PKIX validation of a certificate chain against trust anchors, now, without revocation
 * checks (Tether has no CRL or OCSP; relying parties ask the CA's status endpoint).
 */
public final class Chains {

	private Chains() {
	}

	/**
	 * Validates a chain.
	 * @param chain the chain as presented, leaf first; anchors in it are ignored, and a
	 * leaf sent alone is completed with the intermediate that issued it, if it is among
	 * {@code intermediates}
	 * @param anchors the trust anchors (roots)
	 * @param intermediates known intermediates, possibly none
	 * @return why the chain does not validate, for an operator; empty when it does
	 */
	public static Optional<String> problem(List<X509Certificate> chain, List<X509Certificate> anchors,
			List<X509Certificate> intermediates) {
		List<X509Certificate> path = new ArrayList<>(chain);
		path.removeIf(anchors::contains);
		if (path.isEmpty()) {
			return chain.isEmpty() ? Optional.of("no certificate") : Optional.empty();
		}
		Set<TrustAnchor> trustAnchors = anchors.stream()
			.map((anchor) -> new TrustAnchor(anchor, null))
			.collect(Collectors.toSet());
		if (path.size() == 1) {
			// a rotated intermediate keeps its predecessor's name while both are in the
			// bundle: try each one of that name, not only the first
			X509Certificate leaf = path.get(0);
			List<X509Certificate> issuers = intermediates.stream()
				.filter((intermediate) -> !intermediate.equals(leaf)
						&& intermediate.getSubjectX500Principal().equals(leaf.getIssuerX500Principal()))
				.toList();
			Optional<String> first = Optional.empty();
			for (X509Certificate issuer : issuers) {
				Optional<String> problem = validate(List.of(leaf, issuer), trustAnchors);
				if (problem.isEmpty()) {
					return problem;
				}
				first = first.or(() -> problem);
			}
			if (first.isPresent()) {
				return first;
			}
		}
		return validate(path, trustAnchors);
	}

	private static Optional<String> validate(List<X509Certificate> path, Set<TrustAnchor> trustAnchors) {
		try {
			PKIXParameters parameters = new PKIXParameters(trustAnchors);
			parameters.setRevocationEnabled(false);
			CertPathValidator.getInstance("PKIX")
				.validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
			return Optional.empty();
		}
		catch (CertPathValidatorException ex) {
			String which = (ex.getIndex() >= 0) ? "certificate " + (ex.getIndex() + 1) + " " : "";
			if (ex.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
				return Optional.of(which + "has expired");
			}
			if (ex.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
				return Optional.of(which + "is not yet valid");
			}
			return Optional.of(ex.getMessage() + (which.isEmpty() ? "" : " (" + which.strip() + ")"));
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			return Optional.of(String.valueOf(ex.getMessage()));
		}
	}

}
