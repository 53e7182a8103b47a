package io.tether.server.revocation;

import java.time.Instant;

/**
 * An authority's current CRL, as served.
 *
 * @param authorityId the authority that signed it
 * @param keyId the authority's key identifier, lowercase hex
 * @param number its CRL number
 * @param entries how many certificates it lists
 * @param thisUpdate when it was issued
 * @param nextUpdate when the next one is due at the latest
 * @param der its DER encoding
 */
record PublishedCrl(String authorityId, String keyId, long number, int entries, Instant thisUpdate, Instant nextUpdate,
		byte[] der) {
}
