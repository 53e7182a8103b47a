package io.tether.server.throttle;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Puts the limits in front of the endpoints they guard: enrollment (of agents and
 * operators), and the agent's requests for certificates (a workload's, its own renewal).
 */
@Configuration(proxyBeanMethods = false)
class ThrottleWebConfiguration implements WebMvcConfigurer {

	/** Agents' and operators' enrollment: one allowance per source address for both. */
	static final String[] ENROLL = { "/v1/agents/enroll", "/v1/operators/enroll" };

	static final String[] AGENT_ISSUANCE = { "/v1/agents/self/certificates", "/v1/agents/self/renew" };

	private final Throttles throttles;

	ThrottleWebConfiguration(Throttles throttles) {
		this.throttles = throttles;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(ThrottleInterceptor.enrollment(this.throttles)).addPathPatterns(ENROLL);
		// after the agent interceptor, which names the agent
		registry.addInterceptor(ThrottleInterceptor.agentIssuance(this.throttles))
			.addPathPatterns(AGENT_ISSUANCE)
			.order(Ordered.LOWEST_PRECEDENCE);
	}

}
