package io.tether.server.throttle;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tether.server.TetherProperties;
import io.tether.server.web.ThrottledException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The rate limits of {@code tether.throttle.*}, each a {@link RateLimiter} in this
 * replica's memory, and {@code tether_throttled_total{limit}}: requests refused by each.
 * A refused request has changed nothing: the limits are checked before any work.
 */
@Component
public class Throttles {

	/** Every enrollment attempt, per source address. */
	public static final String ENROLLMENT = "enrollment";

	/** Enrollment attempts whose join token was refused, per source address. */
	public static final String JOIN_TOKEN_FAILURES = "join-token-failures";

	/** Certificates an agent asks for, per agent. */
	public static final String AGENT_ISSUANCE = "agent-issuance";

	private static final Logger logger = LoggerFactory.getLogger(Throttles.class);

	private final RateLimiter enrollment;

	private final RateLimiter joinTokenFailures;

	private final RateLimiter agentIssuance;

	private final Map<String, Counter> throttled = new LinkedHashMap<>();

	@Autowired
	Throttles(TetherProperties properties, Clock clock, MeterRegistry registry) {
		this(properties.throttle(), clock, registry);
	}

	Throttles(TetherProperties.Throttle settings, Clock clock, MeterRegistry registry) {
		this.enrollment = limiter(settings.enrollment(), settings.maxTracked(), clock);
		this.joinTokenFailures = limiter(settings.joinTokenFailures(), settings.maxTracked(), clock);
		this.agentIssuance = limiter(settings.agentIssuance(), settings.maxTracked(), clock);
		// registered up front, so that each limit shows (at 0) from the first scrape
		for (String limit : new String[] { ENROLLMENT, JOIN_TOKEN_FAILURES, AGENT_ISSUANCE }) {
			this.throttled.put(limit,
					Counter.builder("tether.throttled")
						.description("Requests refused by a rate limit (429), by limit")
						.tag("limit", limit)
						.register(registry));
		}
	}

	/**
	 * Before an enrollment attempt: refuses a source whose refused join tokens used up
	 * their allowance, or that made too many attempts.
	 * @param source the client's address
	 * @throws ThrottledException when a limit refuses the attempt
	 */
	public void enrollmentAttempt(String source) {
		if (this.joinTokenFailures != null) {
			refuseIfWaiting(JOIN_TOKEN_FAILURES, this.joinTokenFailures.check(source),
					"Too many refused join or enrollment tokens from " + source
							+ "; enrollment from this address is paused");
		}
		if (this.enrollment != null) {
			refuseIfWaiting(ENROLLMENT, this.enrollment.acquire(source), "Too many enrollment attempts from " + source);
		}
	}

	/**
	 * After an enrollment attempt whose join token (or operator enrollment token) was
	 * refused.
	 * @param source the client's address
	 */
	public void joinTokenRefused(String source) {
		if (this.joinTokenFailures != null) {
			this.joinTokenFailures.consume(source);
		}
	}

	/**
	 * Before an agent's request for a certificate, for a workload or itself.
	 * @param agent the authenticated agent's name
	 * @throws ThrottledException when the agent asked for too many
	 */
	public void agentIssuance(String agent) {
		if (this.agentIssuance != null) {
			refuseIfWaiting(AGENT_ISSUANCE, this.agentIssuance.acquire(agent),
					"Agent '" + agent + "' asked for too many certificates");
		}
	}

	private void refuseIfWaiting(String limit, Duration wait, String detail) {
		if (wait.isZero()) {
			return;
		}
		this.throttled.get(limit).increment();
		long seconds = RateLimiter.retryAfterSeconds(wait);
		logger.debug("Throttled by tether.throttle.{}: {}", limit, detail);
		throw new ThrottledException(
				detail + " (tether.throttle." + limit + "); nothing was changed. Retry in " + seconds + " s", seconds);
	}

	private static RateLimiter limiter(TetherProperties.Throttle.Limit limit, int maxTracked, Clock clock) {
		return limit.enabled() ? new RateLimiter(limit.rate(), limit.period(), limit.burst(), maxTracked, clock) : null;
	}

}
