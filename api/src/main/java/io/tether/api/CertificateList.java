package io.tether.api;

import java.util.List;

/**
 * {@code GET /v1/certificates}.
 *
 * @param certificates the certificates, newest first
 */
public record CertificateList(List<CertificateView> certificates) {
}
