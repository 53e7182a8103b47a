package io.tether.api;

import java.time.Instant;

/**
 * A JWT-SVID, as {@code POST /v1/agents/self/jwt-svids} answers it.
 *
 * @param spiffeId its {@code sub}
 * @param audience its {@code aud}
 * @param token the compact JWS (ES256), verifiable with the {@code jwt-svid} keys of
 * {@code GET /v1/bundle/spiffe}
 * @param kid the signing key's id
 * @param issuedAt its {@code iat}
 * @param expiresAt its {@code exp}
 */
public record JwtSvid(String spiffeId, String audience, String token, String kid, Instant issuedAt, Instant expiresAt) {
}
