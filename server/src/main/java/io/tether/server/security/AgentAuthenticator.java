package io.tether.server.security;

import java.security.cert.X509Certificate;

/**
 * What {@link AgentOnly} asks of the agent feature: whether a named agent, presenting a
 * certificate the TLS handshake verified, may call now. Implemented where agents live, so
 * that this package knows no feature.
 */
public interface AgentAuthenticator {

	/**
	 * Refuses an agent that is not enrolled, was evicted, or presents a certificate this
	 * CA revoked or has no record of. Writes nothing.
	 * @param name the agent name from the certificate's SPIFFE ID
	 * @param certificate the certificate the agent presented
	 * @throws io.tether.server.web.ApiException naming the refusal
	 */
	void authenticate(String name, X509Certificate certificate);

	/**
	 * Notes that an agent made a successful call.
	 * @param name the agent name
	 */
	void seen(String name);

}
