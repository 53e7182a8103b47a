package io.tether.server.web;

import org.apache.catalina.core.StandardHost;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Errors that never reach Spring MVC are problem documents too: Tomcat's own refusals
 * through {@link ProblemErrorReportValve}, and errors forwarded to the error page through
 * {@link ProblemErrorController}.
 */
@Configuration(proxyBeanMethods = false)
class ErrorPageConfiguration {

	@Bean
	WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> problemErrorReports() {
		return problemErrorReportValve();
	}

	static WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> problemErrorReportValve() {
		// the host adds one valve of this class when it starts (and none of Tomcat's)
		return (factory) -> factory.addContextCustomizers((context) -> {
			if (context.getParent() instanceof StandardHost host) {
				host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
			}
		});
	}

}
