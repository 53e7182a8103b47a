package io.tether.api;

import java.util.List;

/**
 * {@code GET /v1/ca}.
 *
 * @param trustDomain the trust domain this CA issues for
 * @param authorities the hierarchy, root first
 * @param ocspUrl the OCSP responder's URL as written into certificates, or {@code null}
 * when the server has no revocation base URL ({@code /ocsp} on the HTTPS port answers all
 * the same)
 */
public record CaView(String trustDomain, List<AuthorityView> authorities, String ocspUrl) {
}
