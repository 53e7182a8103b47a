package io.tether.api;

/**
 * The answer to {@code POST /v1/agents/{name}/evict}.
 *
 * @param agent the agent, now evicted
 * @param revokedCertificates how many certificates the eviction revoked
 */
public record Eviction(AgentView agent, int revokedCertificates) {
}
