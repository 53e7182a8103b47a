package io.tether.api;

import java.util.List;

/**
 * {@code GET /v1/ca}.
 *
 * @param trustDomain the trust domain this CA issues for
 * @param authorities the hierarchy, root first
 */
public record CaView(String trustDomain, List<AuthorityView> authorities) {
}
