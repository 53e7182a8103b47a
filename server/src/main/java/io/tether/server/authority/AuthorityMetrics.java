package io.tether.server.authority;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.micrometer.core.instrument.Tags;
import io.tether.api.AuthorityView;
import io.tether.server.metrics.DatabaseGauges;

import org.springframework.stereotype.Component;

/**
 * The CA hierarchy's meters, one series per authority that is not retired, labelled
 * {@code kind} ({@code root}, {@code intermediate}), {@code generation} and
 * {@code status} ({@code prepared}, {@code active}, {@code retiring}, {@code revoked}):
 * {@code tether_authority_state} (1), {@code tether_authority_not_after_seconds} (its
 * certificate's {@code notAfter}, epoch seconds) and
 * {@code tether_authority_next_transition_seconds} (when the rotation plan's next step
 * for it is due, epoch seconds, with that step as {@code tether ca} shows it as
 * {@code next}).
 */
@Component
class AuthorityMetrics {

	AuthorityMetrics(DatabaseGauges gauges, Authorities authorities) {
		gauges.gauges("tether.authority.state", null, "1 for each authority that is not retired",
				() -> byAuthority(authorities.all(), (authority) -> 1.0));
		gauges.gauges("tether.authority.not.after", "seconds",
				"When the authority's certificate expires, epoch seconds",
				() -> byAuthority(authorities.all(), (authority) -> (double) authority.notAfter().getEpochSecond()));
		gauges.gauges("tether.authority.next.transition", "seconds",
				"When the rotation plan moves the authority to its next state, epoch seconds", () -> {
					Map<Tags, Double> values = new LinkedHashMap<>();
					for (AuthorityView authority : authorities.all()) {
						if (!"retired".equals(authority.status()) && authority.nextAt() != null
								&& authority.next() != null) {
							values.put(tags(authority).and("next", authority.next()),
									(double) authority.nextAt().getEpochSecond());
						}
					}
					return values;
				});
	}

	private static Map<Tags, Double> byAuthority(List<AuthorityView> all, Function<AuthorityView, Double> value) {
		Map<Tags, Double> values = new LinkedHashMap<>();
		for (AuthorityView authority : all) {
			if (!"retired".equals(authority.status())) {
				values.put(tags(authority), value.apply(authority));
			}
		}
		return values;
	}

	private static Tags tags(AuthorityView authority) {
		return Tags.of("kind", authority.kind(), "generation", Integer.toString(authority.generation()), "status",
				authority.status());
	}

}
