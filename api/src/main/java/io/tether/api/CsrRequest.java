package io.tether.api;

/**
 * {@code POST /v1/agents/self/renew}.
 *
 * @param csr the agent's CSR, one PEM block
 */
public record CsrRequest(String csr) {
}
