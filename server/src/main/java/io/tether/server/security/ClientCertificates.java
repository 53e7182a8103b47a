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

	private ClientCertificates() {
	}

	public static Optional<X509Certificate> leaf(HttpServletRequest request) {
		if (request.getAttribute(ATTRIBUTE) instanceof X509Certificate[] chain && chain.length > 0) {
			return Optional.of(chain[0]);
		}
		return Optional.empty();
	}

	/**
	 * The SPIFFE ID of the request's client certificate, for records and audit; call only
	 * where an interceptor has already authenticated the caller.
	 */
	public static String caller(HttpServletRequest request) {
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
