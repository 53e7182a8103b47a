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
 */
public record EntryRequest(String spiffeId, String agent, List<String> dnsNames, String ttl) {
}
