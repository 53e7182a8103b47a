package io.tether.api;

/**
 * The answer to {@code POST /v1/operators/{name}/revoke}.
 *
 * @param operator the operator, now revoked
 * @param revokedCertificates how many of its certificates were revoked with it
 */
public record OperatorRevocation(OperatorView operator, int revokedCertificates) {
}
