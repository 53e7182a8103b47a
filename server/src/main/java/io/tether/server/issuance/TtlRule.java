package io.tether.server.issuance;

import java.time.Duration;

import io.tether.api.ProblemType;
import io.tether.server.TetherProperties;
import io.tether.server.web.ApiException;

import org.springframework.stereotype.Component;

/**
 * The requested lifetime must lie within {@code tether.issuance.min-ttl} and
 * {@code max-ttl}.
 */
@Component
public class TtlRule implements IssuanceRule {

	private final Duration min;

	private final Duration max;

	TtlRule(TetherProperties properties) {
		this.min = properties.issuance().minTtl();
		this.max = properties.issuance().maxTtl();
	}

	@Override
	public void check(IssuanceRequest request) {
		checkRange(request.ttl(), this.min, this.max);
	}

	/**
	 * The rule itself, also applied when a registration entry is created.
	 */
	public static void checkRange(Duration ttl, Duration min, Duration max) {
		if (ttl.compareTo(min) < 0 || ttl.compareTo(max) > 0) {
			throw new ApiException(ProblemType.TTL_OUT_OF_RANGE,
					"TTL " + ttl + " is outside the allowed range " + min + " to " + max);
		}
	}

}
