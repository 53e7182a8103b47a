package io.tether.server.authority;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import io.tether.pki.CaCredential;

/**
 * The authorities that answer for what they signed, for revocation publishing: each
 * prepared, active or retiring root and intermediate signs its CRL and its delegated OCSP
 * signers; an intermediate revoked in an emergency rotation is on its root's CRL.
 */
public interface IssuingAuthorities {

	/**
	 * The authorities not yet retired, as this replica last loaded them.
	 * @return roots and intermediates, by kind and generation
	 */
	List<Issuer> issuers();

	/**
	 * Opens an authority's key to sign a CRL or an OCSP signing certificate.
	 * @param issuerId the authority's id
	 * @return its certificate and key
	 * @throws IllegalStateException when it is unknown or no longer answers
	 */
	CaCredential credential(String issuerId);

	/**
	 * An authority as revocation publishing sees it.
	 *
	 * @param id its id, the {@code issuer_id} of what it signed
	 * @param kind {@code root} or {@code intermediate}
	 * @param status {@code prepared}, {@code active}, {@code retiring} or {@code revoked}
	 * @param generation its generation within its kind
	 * @param parentId the root that signed an intermediate, else {@code null}
	 * @param certificate its certificate
	 * @param keyId its subject key identifier, lowercase hex: its CRL is at
	 * {@code /crl/<keyId>.crl}
	 * @param revokedAt when it was revoked, else {@code null}
	 */
	record Issuer(String id, String kind, String status, int generation, String parentId, X509Certificate certificate,
			String keyId, Instant revokedAt) {

		/**
		 * Whether it signs CRLs and OCSP answers: not when it was revoked (its key is
		 * thought compromised).
		 * @return whether it answers for what it signed
		 */
		public boolean answers() {
			return !"revoked".equals(this.status);
		}

	}

}
