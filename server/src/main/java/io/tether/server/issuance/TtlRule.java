package io.tether.server.issuance;

import java.time.Duration;

import io.tether.server.TetherProperties;
import io.tether.server.web.ApiException;
import io.tether.server.web.ProblemType;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The requested lifetime must lie within {@code tether.issuance.min-ttl} and
 * {@code max-ttl}.
 */
@Component
@Order(40)
class TtlRule implements IssuanceRule {

	private final Duration min;

	private final Duration max;

	TtlRule(TetherProperties properties) {
		this.min = properties.issuance().minTtl();
		this.max = properties.issuance().maxTtl();
	}

	@Override
	public void check(IssuanceRequest request) {
		if (request.purpose() == IssuanceRequest.Purpose.AGENT_IDENTITY) {
			// set by tether.agent.ttl, not asked for
			return;
		}
		Duration ttl = request.ttl();
		if (ttl.compareTo(this.min) < 0 || ttl.compareTo(this.max) > 0) {
			throw new ApiException(ProblemType.TTL_OUT_OF_RANGE,
					"TTL " + ttl + " is outside the allowed range " + this.min + " to " + this.max);
		}
	}

}
