package io.tether.server.security;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Registers the interceptors that enforce {@link RequiresRole} and {@link AgentOnly}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityWebConfiguration implements WebMvcConfigurer {

	private final AdminAuthorizationInterceptor admins;

	private final AgentAuthorizationInterceptor agents;

	SecurityWebConfiguration(AdminAuthorizationInterceptor admins, AgentAuthorizationInterceptor agents) {
		this.admins = admins;
		this.agents = agents;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this.admins);
		registry.addInterceptor(this.agents);
	}

}
