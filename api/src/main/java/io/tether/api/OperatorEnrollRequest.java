package io.tether.api;

/**
 * The body of {@code POST /v1/operators/enroll}.
 *
 * @param token the one-time enrollment token from {@code POST /v1/operators}
 * @param csr a PKCS#10 CSR, PEM, for the key the operator generated
 */
public record OperatorEnrollRequest(String token, String csr) {
}
