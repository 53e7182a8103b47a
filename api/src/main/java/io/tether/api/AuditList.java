package io.tether.api;

import java.util.List;

/**
 * {@code GET /v1/audit}.
 *
 * @param events the events, oldest first
 */
public record AuditList(List<AuditEventView> events) {
}
