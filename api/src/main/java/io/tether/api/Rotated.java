package io.tether.api;

/**
 * The answer to {@code POST /v1/ca/rotate}.
 *
 * @param done what the rotation did
 * @param ca the hierarchy afterwards
 */
public record Rotated(String done, CaView ca) {
}
