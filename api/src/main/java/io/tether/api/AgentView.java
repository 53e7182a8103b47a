package io.tether.api;

import java.time.Instant;

/**
 * An agent, as {@code /v1/agents} answers it.
 *
 * @param name its name
 * @param spiffeId its SPIFFE ID
 * @param status {@code active} or {@code evicted}
 * @param certificateSerial its current certificate's serial number, hex
 * @param certificateNotAfter that certificate's end of validity
 * @param enrolledAt when it first enrolled
 * @param lastSeenAt when it last made a successful call
 */
public record AgentView(String name, String spiffeId, String status, String certificateSerial,
		Instant certificateNotAfter, Instant enrolledAt, Instant lastSeenAt) {
}
