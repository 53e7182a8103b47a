package io.tether.api;

import java.time.Instant;

/**
 * One audit event, as {@code GET /v1/audit} answers it.
 *
 * @param id its sequence number
 * @param occurredAt when
 * @param actor who
 * @param action what ({@code certificate.issued} ...)
 * @param subject on what
 * @param detail the rest
 */
public record AuditEventView(long id, Instant occurredAt, String actor, String action, String subject, String detail) {
}
