package io.tether.api;

import java.time.Instant;

/**
 * One line of {@code GET /v1/audit/export} (JSON Lines): an audit event with its place in
 * the hash chain, so that a copy kept elsewhere can be checked on its own.
 *
 * @param sequence its place in the chain, from 1, without gaps
 * @param id its row id
 * @param occurredAt when
 * @param actor who
 * @param action what
 * @param subject on what, or {@code null}
 * @param detail the rest, or {@code null}
 * @param previousHash the hash of the event before it (64 zeros for the first ever)
 * @param hash SHA-256 over this event and {@code previousHash}, lowercase hex
 */
public record AuditChainEvent(long sequence, long id, Instant occurredAt, String actor, String action, String subject,
		String detail, String previousHash, String hash) {
}
