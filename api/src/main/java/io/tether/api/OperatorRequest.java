package io.tether.api;

/**
 * The body of {@code POST /v1/operators}.
 *
 * @param name the operator's name: lowercase letters, digits and {@code -}, 1 to 63
 * characters
 * @param role {@code admin}, {@code operator} or {@code auditor}
 */
public record OperatorRequest(String name, String role) {
}
