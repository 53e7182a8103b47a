package io.tether.api;

/**
 * {@code POST /v1/agents/reattest}: an agent whose own certificate expired asks for a new
 * one with the key it already holds.
 *
 * @param agent the agent's name
 * @param certificate its last agent certificate (expired or not), one PEM block
 * @param csr a CSR signed with that certificate's key, one PEM block
 */
public record ReattestRequest(String agent, String certificate, String csr) {
}
