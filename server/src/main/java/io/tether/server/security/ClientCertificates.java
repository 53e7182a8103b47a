package io.tether.server.security;

import java.security.cert.X509Certificate;
import java.util.Optional;

import io.tether.pki.SpiffeId;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Reads the client certificate of the request's TLS connection, as the servlet container
 * verified it against the trust bundle during the handshake.
 */
public final class ClientCertificates {

	private static final String ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

	/** Where {@link RequiresRole}'s interceptor leaves the operator's audit name. */
	static final String ACTOR = ClientCertificates.class.getName() + ".actor";

	private ClientCertificates() {
	}

	public static Optional<X509Certificate> leaf(HttpServletRequest request) {
		if (request.getAttribute(ATTRIBUTE) instanceof X509Certificate[] chain && chain.length > 0) {
			return Optional.of(chain[0]);
		}
		return Optional.empty();
	}

	/**
	 * Who makes the request, for records and audit: the operator's name on a
	 * {@link RequiresRole} handler (the bootstrap admin's SPIFFE ID for the bootstrap
	 * admin), else the SPIFFE ID of the client certificate; call only where an
	 * interceptor has already authenticated the caller.
	 */
	public static String caller(HttpServletRequest request) {
		if (request.getAttribute(ACTOR) instanceof String actor) {
			return actor;
		}
		return leaf(request).flatMap(ClientCertificates::spiffeId)
			.map(SpiffeId::toString)
			.orElseThrow(() -> new IllegalStateException("No authenticated client certificate on this request"));
	}

	/**
	 * The SPIFFE ID of a certificate: its single URI SAN, if that is a valid SPIFFE ID.
	 */
	public static Optional<SpiffeId> spiffeId(X509Certificate certificate) {
		return SpiffeId.of(certificate);
	}

}
