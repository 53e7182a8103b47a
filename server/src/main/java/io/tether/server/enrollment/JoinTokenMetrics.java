package io.tether.server.enrollment;

import java.time.Clock;

import io.tether.server.metrics.DatabaseGauges;

import org.springframework.stereotype.Component;

/**
 * {@code tether_join_tokens_outstanding}: join tokens neither used nor expired, each one
 * a way in for whoever holds it.
 */
@Component
class JoinTokenMetrics {

	JoinTokenMetrics(DatabaseGauges gauges, JoinTokenRepository tokens, Clock clock) {
		gauges.gauge("tether.join.tokens.outstanding", null, "Join tokens neither used nor expired",
				() -> (double) tokens.countByUsedAtIsNullAndExpiresAtAfter(clock.instant()));
	}

}
