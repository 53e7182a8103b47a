package io.tether.authz;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;

import io.tether.workload.PemFileCredentialSource;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.X509ClientCertificateAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.http.converter.OAuth2TokenIntrospectionHttpMessageConverter;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/**
 * Spring Security's authorization server, with Tether's client authentication, token
 * shape, revocation-aware introspection and RFC 8705 metadata.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean(destroyMethod = "close")
	PemFileCredentialSource credentials(AuthzProperties properties) {
		return PemFileCredentialSource.watch(properties.credentials().certificate(), properties.credentials().key(),
				properties.credentials().bundle());
	}

	@Bean
	CaClient caClient(AuthzProperties properties, PemFileCredentialSource credentials) {
		return new CaClient(properties.caUrl(), credentials);
	}

	@Bean
	OAuth2TokenCustomizer<JwtEncodingContext> boundTokenCustomizer(SigningKeys keys) {
		return new BoundTokenCustomizer(keys);
	}

	@Bean
	AuthorizationServerSettings authorizationServerSettings(AuthzProperties properties) {
		return AuthorizationServerSettings.builder().issuer(properties.issuer().toString()).build();
	}

	@Bean
	SecurityFilterChain authorizationServer(HttpSecurity http, SpiffeClients clients, TrustBundle trust,
			CertificateStatuses statuses, AuthzProperties properties, AuthzMetrics metrics) {
		String issuer = properties.issuer().toString();
		http.oauth2AuthorizationServer(
				(server) -> server.registeredClientRepository(clients)
					.clientAuthentication((authentication) -> authentication
						.authenticationConverter(SpiffeClientAuthentication.converter())
						.authenticationProviders((providers) -> {
							// a refusal by ours must not fall through to Spring's
							// subject-DN matching
							providers.removeIf(X509ClientCertificateAuthenticationProvider.class::isInstance);
							providers.add(0, SpiffeClientAuthentication.provider(clients, trust, statuses));
						})
						.errorResponseHandler(metrics.countingClientRefusals()))
					.tokenEndpoint((token) -> token.accessTokenResponseHandler(metrics.countingTokenResponses())
						.errorResponseHandler(metrics.countingTokenRefusals()))
					.tokenIntrospectionEndpoint((introspection) -> introspection
						.introspectionResponseHandler(revocationAwareIntrospection(statuses, metrics)))
					.authorizationServerMetadataEndpoint((metadata) -> metadata
						.authorizationServerMetadataCustomizer((builder) -> builder.claim("mtls_endpoint_aliases",
								Map.of("token_endpoint", issuer + "/oauth2/token", "introspection_endpoint",
										issuer + "/oauth2/introspect", "revocation_endpoint",
										issuer + "/oauth2/revoke")))))
			.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
		return http.build();
	}

	/**
	 * RFC 7662 with the CA in the loop: a token whose certificate the CA now reports
	 * revoked (or expired, or unknown) is inactive, whatever its own {@code exp} says.
	 */
	private static AuthenticationSuccessHandler revocationAwareIntrospection(CertificateStatuses statuses,
			AuthzMetrics metrics) {
		OAuth2TokenIntrospectionHttpMessageConverter converter = new OAuth2TokenIntrospectionHttpMessageConverter();
		return (request, response, authentication) -> {
			OAuth2TokenIntrospection claims = ((OAuth2TokenIntrospectionAuthenticationToken) authentication)
				.getTokenClaims();
			if (claims.isActive() && claims.getClaims().get("cnf") instanceof Map<?, ?> cnf
					&& cnf.get("x5t#S256") instanceof String x5t && !"valid".equals(statuses.status(x5t))) {
				claims = OAuth2TokenIntrospection.builder().build();
				metrics.introspected("revoked");
			}
			else {
				metrics.introspected(claims.isActive() ? "active" : "inactive");
			}
			write(converter, claims, response);
		};
	}

	private static void write(OAuth2TokenIntrospectionHttpMessageConverter converter, OAuth2TokenIntrospection claims,
			HttpServletResponse response) throws IOException {
		converter.write(claims, null, new ServletServerHttpResponse(response));
	}

}
