package io.tether.api;

import java.time.Instant;

/**
 * One operator, as {@code GET /v1/operators} lists it.
 *
 * @param name its name, unique for ever
 * @param role {@code admin}, {@code operator} or {@code auditor}
 * @param state {@code active} or {@code revoked}
 * @param spiffeId the SPIFFE ID its certificates carry
 * @param createdBy who created it
 * @param createdAt when
 * @param enrolledAt when its enrollment token was used, or {@code null}
 * @param tokenExpiresAt when its enrollment token expires (or expired), or {@code null}
 * once revoked
 * @param revokedAt when it was revoked, or {@code null}
 */
public record OperatorView(String name, String role, String state, String spiffeId, String createdBy, Instant createdAt,
		Instant enrolledAt, Instant tokenExpiresAt, Instant revokedAt) {
}
