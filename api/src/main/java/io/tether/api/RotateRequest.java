package io.tether.api;

/**
 * {@code POST /v1/ca/rotate}.
 *
 * @param kind {@code intermediate} or {@code root}
 * @param emergency replace the active intermediate at once and revoke it (intermediate
 * only); {@code null} means {@code false}
 */
public record RotateRequest(String kind, Boolean emergency) {
}
