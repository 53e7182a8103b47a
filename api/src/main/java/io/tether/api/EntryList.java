package io.tether.api;

import java.util.List;

/**
 * {@code GET /v1/entries} and {@code GET /v1/agents/self/entries}.
 *
 * @param entries the entries
 */
public record EntryList(List<Entry> entries) {
}
