package io.tether.workload.revocation;

import java.security.cert.X509Certificate;

/**
 * Where verified answers come from: an OCSP responder, or a CRL.
 */
interface StatusSource {

	/**
	 * Asks about a certificate; does not cache answers (the checker does).
	 * @param leaf the certificate
	 * @param issuer the authority that issued it, already validated
	 * @param issuerKeyId the issuer's key identifier, lower-case hex
	 * @return a verified answer
	 * @throws RevocationUnavailableException if no verified answer can be had
	 */
	StatusAnswer fetch(X509Certificate leaf, X509Certificate issuer, String issuerKeyId)
			throws RevocationUnavailableException;

}
