package io.tether.api;

import java.time.Instant;

/**
 * The answer to {@code DELETE /v1/entries/{id}}: the entry is gone; what became of the
 * certificates its agent had obtained for it.
 *
 * @param id the deleted entry's id
 * @param spiffeId its SPIFFE ID
 * @param agent its agent
 * @param revoked how many certificates the deletion revoked ({@code ?revoke=true});
 * {@code 0} without it
 * @param liveCertificates how many it had obtained that are still unrevoked and unexpired
 * (after the deletion: {@code 0} with {@code ?revoke=true})
 * @param liveUntil when the last of those expires, or {@code null} when there are none
 */
public record EntryDeletion(String id, String spiffeId, String agent, int revoked, long liveCertificates,
		Instant liveUntil) {
}
