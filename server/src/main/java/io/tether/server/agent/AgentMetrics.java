package io.tether.server.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Tags;
import io.tether.server.metrics.DatabaseGauges;

import org.springframework.stereotype.Component;

/**
 * {@code tether_agents{last_seen}}: enrolled agents that are not evicted, by how long ago
 * one last called the server ({@code lt_5m}, {@code lt_1h}, {@code lt_1d}, {@code older};
 * each agent in one bucket). An agent syncs every few minutes, so one outside
 * {@code lt_5m} for long is down or cut off.
 */
@Component
class AgentMetrics {

	AgentMetrics(DatabaseGauges gauges, AgentRepository agents, Clock clock) {
		gauges.gauges("tether.agents", null, "Agents that are not evicted, by when they were last seen", () -> {
			Instant now = clock.instant();
			AgentEntity.Status active = AgentEntity.Status.ACTIVE;
			long all = agents.countByStatus(active);
			long day = agents.countByStatusAndLastSeenAtGreaterThanEqual(active, now.minus(Duration.ofDays(1)));
			long hour = agents.countByStatusAndLastSeenAtGreaterThanEqual(active, now.minus(Duration.ofHours(1)));
			long minutes = agents.countByStatusAndLastSeenAtGreaterThanEqual(active, now.minus(Duration.ofMinutes(5)));
			Map<Tags, Double> values = new LinkedHashMap<>();
			values.put(Tags.of("last_seen", "lt_5m"), (double) minutes);
			values.put(Tags.of("last_seen", "lt_1h"), (double) (hour - minutes));
			values.put(Tags.of("last_seen", "lt_1d"), (double) (day - hour));
			values.put(Tags.of("last_seen", "older"), (double) (all - day));
			return values;
		});
	}

}
