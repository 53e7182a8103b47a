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
 * @param subject the subject DN of its certificates, RFC 4514 ({@code CN=ns/web,O=td}):
 * the one set on the entry, or the default derived from the SPIFFE ID
 * @param audiences the audiences its agent may obtain JWT-SVIDs for
 */
public record Entry(String id, String spiffeId, String agent, List<String> dnsNames, String ttl, String createdBy,
		Instant createdAt, String subject, List<String> audiences) {
}
