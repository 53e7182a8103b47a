package io.tether.server.revocation;

import java.io.IOException;

import io.tether.api.ProblemType;
import io.tether.server.TetherProperties;
import io.tether.server.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Serves CRLs and OCSP: on the HTTPS port, and on a plain-HTTP listener
 * ({@code tether.revocation.http-port}) because their answers are signed and most relying
 * parties fetch them over HTTP only (nginx's OCSP client, CRL distribution points by
 * convention). That listener serves nothing else: the API and the trust bundle, whose
 * integrity rests on TLS, are refused there.
 */
@Configuration(proxyBeanMethods = false)
class RevocationConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(RevocationConfiguration.class);

	@Bean
	ServletRegistrationBean<RevocationServlet> revocationServlet(CrlPublisher crls, OcspResponder responder) {
		ServletRegistrationBean<RevocationServlet> registration = new ServletRegistrationBean<>(
				new RevocationServlet(crls, responder), "/crl/*", "/ocsp", "/ocsp/*");
		registration.setName("revocation");
		return registration;
	}

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> revocationConnector(TetherProperties properties) {
		return (factory) -> {
			// an OCSP GET carries base64, whose '/' arrives as %2F: keep it in the path
			factory.addConnectorCustomizers((connector) -> connector.setEncodedSolidusHandling("passthrough"));
			int port = properties.revocation().httpPort();
			if (port < 0) {
				return;
			}
			Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
			connector.setPort(port);
			connector.setXpoweredBy(false);
			connector.setEncodedSolidusHandling("passthrough");
			if (factory.getAddress() != null) {
				connector.setProperty("address", factory.getAddress().getHostAddress());
			}
			factory.addAdditionalConnectors(connector);
			logger.info("CRLs and OCSP also on plain HTTP, port {}", (port == 0) ? "(any free)" : port);
		};
	}

	@Bean
	FilterRegistrationBean<OncePerRequestFilter> plainHttpServesRevocationOnly() {
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
				new OncePerRequestFilter() {

					@Override
					protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
							FilterChain chain) throws ServletException, IOException {
						String path = request.getRequestURI().substring(request.getContextPath().length());
						if (!request.isSecure() && !path.startsWith("/crl/") && !path.equals("/ocsp")
								&& !path.startsWith("/ocsp/")) {
							Problems.write(response, ProblemType.NOT_FOUND,
									"Plain HTTP serves CRLs (/crl/<key id>.crl) "
											+ "and OCSP (/ocsp) only; everything else is on the HTTPS port");
							return;
						}
						chain.doFilter(request, response);
					}

				});
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

}
