package io.tether.server.security;

import java.security.cert.X509Certificate;

import io.tether.pki.SpiffeId;

/**
 * What {@link RequiresRole} asks of the operator feature: who a certificate's holder is
 * and what role they hold now. Implemented where operators live, so that this package
 * knows no feature.
 */
public interface OperatorAuthenticator {

	/**
	 * Resolves a caller to an operator. Writes nothing.
	 * @param id the SPIFFE ID of the certificate
	 * @param certificate the certificate the caller presented, verified by the TLS
	 * handshake
	 * @return the operator, or {@code null} when the ID is no operator's (an agent, a
	 * workload)
	 * @throws io.tether.server.web.ApiException when the operator was revoked (or the
	 * bootstrap admin retired), or the certificate was revoked or is unknown to this CA
	 */
	Caller authenticate(SpiffeId id, X509Certificate certificate);

	/**
	 * An authenticated operator.
	 *
	 * @param actor what the audit log names them: the operator's name, or the bootstrap
	 * admin's SPIFFE ID
	 * @param role what they may do
	 */
	record Caller(String actor, Role role) {
	}

}
