package io.tether.server.authority;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import io.tether.pki.CertificateProfile;

/**
 * The narrow face of the CA that the rest of the server uses: sign a leaf, and tell which
 * certificates workloads must trust. Policy, persistence and audit are the callers' job;
 * this interface only holds keys and signs.
 */
public interface CertificateAuthority {

	/**
	 * Signs a leaf certificate with the active intermediate.
	 * @param profile what the certificate says
	 * @param subjectKey the requester's public key
	 * @return the certificate, its chain and which authority signed it
	 */
	SignedCertificate sign(CertificateProfile.Leaf profile, PublicKey subjectKey);

	/**
	 * The CA certificates workloads must trust: the active root, and during a root
	 * rotation the prepared or retiring one too.
	 * @return the trust anchors, oldest first
	 */
	List<X509Certificate> trustAnchors();

	/**
	 * The root the active intermediate chains to: the one the server's own TLS chain ends
	 * at, and the one join tokens pin.
	 * @return its certificate
	 */
	X509Certificate activeRoot();

	/**
	 * The active intermediate that signs leaves.
	 * @return its certificate
	 */
	X509Certificate activeIntermediate();

	/**
	 * The intermediates relying parties trust: the active one, the prepared one that
	 * takes over next, and those retiring after a rotation, whose leaves may still be
	 * valid. For relying parties that accept clients sending only their leaf.
	 * @return the intermediates' certificates, oldest first
	 */
	List<X509Certificate> validIntermediates();

	/**
	 * A number that grows with every step of a rotation (an authority created, or moving
	 * on to its next state), so that a relying party can tell a newer bundle from an
	 * older one: SPIFFE's {@code spiffe_sequence}. It is derived from the authorities in
	 * the database alone, so every replica gives the same number once it has reloaded
	 * them, and it never goes down.
	 * @return the sequence number of the hierarchy as last loaded
	 */
	long bundleSequence();

	/**
	 * How soon a relying party should read the bundle again: a tenth of the time a new
	 * root or intermediate is published before anything chains to it, at most five
	 * minutes and at least a second, so that every peer sees a new authority several
	 * times over before it is needed.
	 * @return the refresh hint
	 */
	Duration bundleRefreshHint();

	/**
	 * Whether one of the intermediates relying parties trust
	 * ({@link #validIntermediates}) signed the certificate: a rotation leaves it trusted,
	 * an emergency rotation does not.
	 * @param certificate a leaf this CA issued
	 * @return whether its issuer is still trusted
	 */
	default boolean issuedByTrusted(X509Certificate certificate) {
		for (X509Certificate intermediate : validIntermediates()) {
			try {
				certificate.verify(intermediate.getPublicKey());
				return true;
			}
			catch (GeneralSecurityException ex) {
				// another intermediate
			}
		}
		return false;
	}

	/**
	 * A signed leaf.
	 *
	 * @param certificate the leaf
	 * @param chain the leaf followed by the intermediate (never the root)
	 * @param issuerId the identifier of the authority that signed it
	 * @param root the root the chain ends at
	 */
	record SignedCertificate(X509Certificate certificate, List<X509Certificate> chain, String issuerId,
			X509Certificate root) {
	}

}
