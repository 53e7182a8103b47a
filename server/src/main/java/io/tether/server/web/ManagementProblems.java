package io.tether.server.web;

import java.io.IOException;

import io.tether.api.ProblemType;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.web.ErrorResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Problem documents on the management port too. With its own port, health and metrics run
 * in a child context with a web server of their own, to which none of the main server's
 * customizers, filters or error handlers apply: this class is imported there
 * (META-INF/spring/...ManagementContextConfiguration.imports) and only there. It carries
 * no stereotype on purpose, so that component scanning leaves it out of the main context.
 * The main server's request filters stay away from the management port by the same token,
 * among them the one that refuses everything but CRLs and OCSP on plain HTTP, and so does
 * the plain-HTTP revocation connector.
 */
@ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
class ManagementProblems {

	private static final Logger logger = LoggerFactory.getLogger(ManagementProblems.class);

	@Bean
	WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> managementProblemErrorReports() {
		return ErrorPageConfiguration.problemErrorReportValve();
	}

	@Bean
	HandlerExceptionResolver managementProblemResolver() {
		return (request, response, handler, ex) -> {
			ProblemType type;
			String detail;
			if (ex instanceof ErrorResponse error) {
				type = ProblemType.forStatus(error.getStatusCode().value());
				detail = (type == ProblemType.NOT_FOUND)
						? "The management port serves /actuator/health and /actuator/prometheus only" : type.title();
			}
			else {
				logger.error("Management request {} failed", request.getRequestURI(), ex);
				type = ProblemType.INTERNAL;
				detail = "The server failed to handle the request; its log says why";
			}
			try {
				Problems.write(response, type, detail);
			}
			catch (IOException failed) {
				// the client is gone: nothing to add
			}
			return new ModelAndView();
		};
	}

}
