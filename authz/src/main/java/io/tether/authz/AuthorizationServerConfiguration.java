package io.tether.authz;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.tether.workload.PemFileCredentialSource;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.X509ClientCertificateAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.http.converter.OAuth2TokenIntrospectionHttpMessageConverter;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

/**
 * Spring Security's authorization server, with Tether's client authentication, token
 * shape, revocation-aware introspection and RFC 8705 metadata; and, for public clients, a
 * sign-in page for the people of {@code tether.authz.users}.
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

	/**
	 * The people of {@code tether.authz.users}, who sign in for public clients; their
	 * passwords are hashes in Spring Security's {@code {id}hash} form.
	 */
	@Bean
	UserDetailsService users(AuthzProperties properties) {
		return new InMemoryUserDetailsManager(properties.users()
			.stream()
			.map((user) -> User.withUsername(user.name()).password(user.password()).authorities("ROLE_USER").build())
			.toList());
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	/**
	 * Spring Security's sign-in page, where a browser sent to the authorization endpoint
	 * for a public client lands first.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 1)
	SecurityFilterChain signIn(HttpSecurity http) {
		http.securityMatcher("/login")
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.formLogin(Customizer.withDefaults());
		return http.build();
	}

	@Bean
	SecurityFilterChain authorizationServer(HttpSecurity http, SpiffeClients clients, TrustBundle trust,
			CertificateStatuses statuses, AuthzProperties properties, AuthzMetrics metrics) {
		String issuer = properties.issuer().toString();
		http.oauth2AuthorizationServer((server) -> server.registeredClientRepository(clients)
			.authorizationEndpoint((authorization) -> authorization.authenticationProviders((providers) -> {
				for (AuthenticationProvider provider : providers) {
					if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codes) {
						codes.setAuthenticationValidator(new OAuth2AuthorizationCodeRequestAuthenticationValidator()
							.andThen(userScopes(properties)));
					}
				}
			}))
			.clientAuthentication(
					(authentication) -> authentication.authenticationConverter(SpiffeClientAuthentication.converter())
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
								issuer + "/oauth2/introspect", "revocation_endpoint", issuer + "/oauth2/revoke")))))
			// the error page renders the refusals of the endpoints above
			.authorizeHttpRequests((requests) -> requests.dispatcherTypeMatchers(DispatcherType.ERROR)
				.permitAll()
				.anyRequest()
				.authenticated())
			// a person's browser at the authorization endpoint signs in first
			// and a client that did not authenticate is told so as RFC 6749 §5.2 says
			.exceptionHandling((exceptions) -> exceptions
				.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
						PathPatternRequestMatcher.withDefaults().matcher("/oauth2/authorize"))
				.defaultAuthenticationEntryPointFor(AuthorizationServerConfiguration::unauthenticatedClient,
						PathPatternRequestMatcher.withDefaults().matcher("/oauth2/**"))
				.defaultAuthenticationEntryPointFor(AuthorizationServerConfiguration::unauthenticated,
						AnyRequestMatcher.INSTANCE));
		return http.build();
	}

	private static void unauthenticatedClient(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setHeader("WWW-Authenticate", "Bearer");
		response.setContentType("application/json");
		response.setCharacterEncoding("UTF-8");
		response.getWriter()
			.write("{\"error\":\"invalid_client\",\"error_description\":\"No client authentication: a workload "
					+ "presents its certificate (tls_client_auth); a public client redeems a code with its PKCE "
					+ "verifier\"}");
	}

	private static void unauthenticated(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setContentType("application/problem+json");
		response.setCharacterEncoding("UTF-8");
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"Nothing is "
					+ "served here without authentication: the OAuth endpoints are under /oauth2/\"}");
	}

	/**
	 * Once a person has signed in, the scopes asked for must be among theirs (when their
	 * entry lists any); else the client is told {@code access_denied}.
	 */
	private static Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> userScopes(
			AuthzProperties properties) {
		return (context) -> {
			OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
			if (!(request.getPrincipal() instanceof Authentication person) || !person.isAuthenticated()
					|| person instanceof AnonymousAuthenticationToken) {
				return;
			}
			AuthzProperties.User user = properties.users()
				.stream()
				.filter((candidate) -> candidate.name().equals(person.getName()))
				.findFirst()
				.orElse(null);
			if (user == null || user.scopes().isEmpty() || user.scopes().containsAll(request.getScopes())) {
				return;
			}
			List<String> denied = request.getScopes()
				.stream()
				.filter((scope) -> !user.scopes().contains(scope))
				.toList();
			throw new OAuth2AuthorizationCodeRequestAuthenticationException(
					new OAuth2Error(OAuth2ErrorCodes.ACCESS_DENIED,
							"'" + user.name() + "' may not have the scopes " + denied, null),
					request);
		};
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
