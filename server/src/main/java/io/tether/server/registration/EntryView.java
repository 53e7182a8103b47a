package io.tether.server.registration;

import java.time.Instant;
import java.util.List;

/**
 * A registration entry as the API shows it; {@code ttl} is ISO-8601.
 */
public record EntryView(String id, String spiffeId, String agent, List<String> dnsNames, String ttl, String createdBy,
		Instant createdAt) {

	static EntryView of(EntryEntity entry) {
		return new EntryView(entry.getId(), entry.getSpiffeId(), entry.getAgentName(), entry.getDnsNames(),
				entry.getTtl().toString(), entry.getCreatedBy(), entry.getCreatedAt());
	}

}
