package io.tether.server.agent;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class AgentWebConfiguration implements WebMvcConfigurer {

	private final AgentAuthorizationInterceptor interceptor;

	AgentWebConfiguration(AgentAuthorizationInterceptor interceptor) {
		this.interceptor = interceptor;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this.interceptor);
	}

}
