package io.tether.api;

import java.time.Instant;

/**
 * A one-time join token, as {@code POST /v1/join-tokens} answers it.
 *
 * @param token {@code tj1.<id>.<secret>.<root-sha256>}
 * @param agent the agent it is for
 * @param expiresAt when it stops working
 */
public record JoinToken(String token, String agent, Instant expiresAt) {
}
