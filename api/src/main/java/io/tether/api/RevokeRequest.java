package io.tether.api;

/**
 * {@code POST /v1/certificates/{serial}/revoke}.
 *
 * @param reason an RFC 5280 reason name, or {@code null} for {@code unspecified}
 */
public record RevokeRequest(String reason) {
}
