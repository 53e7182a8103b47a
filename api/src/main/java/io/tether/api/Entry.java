package io.tether.api;

import java.time.Instant;
import java.util.List;

/**
 * A registration entry, as {@code /v1/entries} and {@code /v1/agents/self/entries} answer
 * it.
 *
 * @param id the entry's id
 * @param spiffeId the SPIFFE ID it allows
 * @param agent the agent it is assigned to
 * @param dnsNames its DNS names
 * @param ttl its certificates' lifetime, ISO-8601
 * @param createdBy who registered it
 * @param createdAt when
 */
public record Entry(String id, String spiffeId, String agent, List<String> dnsNames, String ttl, String createdBy,
		Instant createdAt) {
}
