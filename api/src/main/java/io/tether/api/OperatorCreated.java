package io.tether.api;

import java.time.Instant;

/**
 * The answer to {@code POST /v1/operators}: the operator and its one-time enrollment
 * token, shown this once (the server keeps only its hash).
 *
 * @param name the operator's name
 * @param role its role
 * @param token {@code to1.<name>.<secret>.<root-sha256>}, for {@code tether login}
 * @param expiresAt when the token stops working
 */
public record OperatorCreated(String name, String role, String token, Instant expiresAt) {
}
