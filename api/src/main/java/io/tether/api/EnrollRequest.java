package io.tether.api;

/**
 * {@code POST /v1/agents/enroll}.
 *
 * @param joinToken the one-time join token
 * @param csr the agent's CSR, one PEM block
 */
public record EnrollRequest(String joinToken, String csr) {
}
