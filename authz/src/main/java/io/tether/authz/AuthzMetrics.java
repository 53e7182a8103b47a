package io.tether.authz;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ErrorAuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.stereotype.Component;

/**
 * The authorization server's meters: {@code tether_authz_tokens_issued_total{client}}
 * (access tokens, by client id), {@code tether_authz_tokens_refused_total{reason}} (the
 * OAuth error code of a refused token request, {@code invalid_client} among them when the
 * client's certificate is not accepted) and
 * {@code tether_authz_introspections_total{result}} ({@code active}, {@code inactive}, or
 * {@code revoked} for a token whose certificate the CA no longer calls valid), and the
 * CA's {@code tether_job_last_success_seconds{job,replica}} for the scheduled jobs.
 */
@Component
class AuthzMetrics {

	private final MeterRegistry registry;

	private final Clock clock;

	private final String replica = replicaName();

	/** Each job's last success on this instance; held here, the gauges read it. */
	private final Map<String, Instant> lastSuccess = new ConcurrentHashMap<>();

	AuthzMetrics(MeterRegistry registry, Clock clock) {
		this.registry = registry;
		this.clock = clock;
	}

	/** Spring's token response, counted. */
	AuthenticationSuccessHandler countingTokenResponses() {
		AuthenticationSuccessHandler spring = new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
		return (request, response, authentication) -> {
			spring.onAuthenticationSuccess(request, response, authentication);
			if (authentication instanceof OAuth2AccessTokenAuthenticationToken token) {
				Counter.builder("tether.authz.tokens.issued")
					.description("Access tokens issued, by client")
					.tag("client", token.getRegisteredClient().getClientId())
					.register(this.registry)
					.increment();
			}
		};
	}

	/** Spring's error response to a token request, counted. */
	AuthenticationFailureHandler countingTokenRefusals() {
		AuthenticationFailureHandler spring = new OAuth2ErrorAuthenticationFailureHandler();
		return (request, response, exception) -> {
			spring.onAuthenticationFailure(request, response, exception);
			refused(exception);
		};
	}

	/**
	 * The client authentication filter's error response, as Spring's own (401 for
	 * {@code invalid_client}, else 400), counted when the request was for a token: the
	 * same filter guards introspection and revocation.
	 */
	AuthenticationFailureHandler countingClientRefusals() {
		HttpMessageConverter<OAuth2Error> errors = new OAuth2ErrorHttpMessageConverter();
		return (request, response, exception) -> {
			SecurityContextHolder.clearContext();
			OAuth2Error error = (exception instanceof OAuth2AuthenticationException oauth) ? oauth.getError()
					: new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT);
			ServletServerHttpResponse http = new ServletServerHttpResponse(response);
			http.setStatusCode(OAuth2ErrorCodes.INVALID_CLIENT.equals(error.getErrorCode()) ? HttpStatus.UNAUTHORIZED
					: HttpStatus.BAD_REQUEST);
			errors.write(error, null, http);
			if (request.getRequestURI().endsWith("/oauth2/token")) {
				refused(exception);
			}
		};
	}

	private void refused(AuthenticationException exception) {
		String reason = (exception instanceof OAuth2AuthenticationException oauth) ? oauth.getError().getErrorCode()
				: "server_error";
		Counter.builder("tether.authz.tokens.refused")
			.description("Token requests refused, by OAuth error code")
			.tag("reason", reason)
			.register(this.registry)
			.increment();
	}

	void introspected(String result) {
		Counter.builder("tether.authz.introspections")
			.description("Token introspections, by result")
			.tag("result", result)
			.register(this.registry)
			.increment();
	}

	/**
	 * A scheduled job ran successfully now: {@code tether_job_last_success_seconds}, as
	 * the CA's, but kept in memory, so {@code replica} is always this instance, also for
	 * the jobs that run once across instances (the instance that took the lock reports
	 * them; alert on the newest over the replicas). A job that has not succeeded here yet
	 * has no gauge; a failure leaves the last success as it was.
	 */
	void jobSucceeded(String job) {
		if (this.lastSuccess.put(job, this.clock.instant()) != null) {
			return;
		}
		// once per job: Micrometer warns when a gauge is registered again
		Gauge.builder("tether.job.last.success", this.lastSuccess, (runs) -> runs.get(job).getEpochSecond())
			.description("When the job last ran successfully, epoch seconds")
			.baseUnit("seconds")
			.tag("job", job)
			.tag("replica", this.replica)
			.register(this.registry);
	}

	/**
	 * This instance's name, as the CA names its replicas: host and process, and a random
	 * part for containers that all run as process 1 on one host name.
	 */
	private static String replicaName() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "unknown-host";
		}
		return host + "/" + ManagementFactory.getRuntimeMXBean().getPid() + "-"
				+ String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
	}

}
