package io.tether.api;

/**
 * {@code POST /v1/join-tokens}.
 *
 * @param agent the name of the agent that will join
 * @param ttl how long the token may be used, or {@code null} for 15 minutes
 */
public record JoinTokenRequest(String agent, String ttl) {
}
