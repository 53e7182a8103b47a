package io.tether.api;

import java.util.List;

/**
 * {@code POST /v1/entries}: register what an agent may obtain.
 *
 * @param spiffeId the workload's SPIFFE ID
 * @param agent the name of the agent that may obtain it
 * @param dnsNames DNS names the certificates carry, or {@code null} for none
 * @param ttl the certificates' lifetime ({@code 1h}, {@code PT1H}), or {@code null} for
 * the server's default
 * @param subject the subject DN of its certificates, RFC 4514
 * ({@code CN=orders,OU=payments,O=Example Corp}), or {@code null} for the default derived
 * from the SPIFFE ID
 * @param audiences the audiences its agent may obtain JWT-SVIDs for, or {@code null} for
 * none
 */
public record EntryRequest(String spiffeId, String agent, List<String> dnsNames, String ttl, String subject,
		List<String> audiences) {

	/**
	 * A request with the default subject and no audiences.
	 */
	public EntryRequest(String spiffeId, String agent, List<String> dnsNames, String ttl) {
		this(spiffeId, agent, dnsNames, ttl, null, null);
	}

}
