package io.tether.api;

/**
 * {@code POST /v1/agents/self/jwt-svids}: an agent asks for a JWT-SVID for one of its
 * entries.
 *
 * @param spiffeId the SPIFFE ID, the token's {@code sub}: one of the agent's entries
 * @param audience the token's single {@code aud}: one of that entry's audiences
 */
public record JwtSvidRequest(String spiffeId, String audience) {
}
