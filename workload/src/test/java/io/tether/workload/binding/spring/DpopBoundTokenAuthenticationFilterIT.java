package io.tether.workload.binding.spring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

import io.tether.workload.binding.BoundTokenVerifier;
import io.tether.workload.binding.ClientCertificateResolver;
import io.tether.workload.binding.DpopProofVerifier;
import io.tether.workload.binding.InMemoryDpopReplayStore;
import io.tether.workload.binding.TestProofs;
import io.tether.workload.binding.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spring integration as the javadoc shows it, in a Spring Boot application on Tomcat:
 * DPoP requests are authenticated by {@link DpopBoundTokenAuthenticationFilter}, refused
 * ones keep their {@code DPoP} challenge through Spring's entry point and error handling,
 * and bearer requests still reach {@link BoundTokenAuthenticationManagerResolver}.
 */
class DpopBoundTokenAuthenticationFilterIT {

	private final TestTokens tokens = new TestTokens("k1");

	private final TestProofs proofs = new TestProofs();

	private final HttpClient http = HttpClient.newHttpClient();

	private ConfigurableApplicationContext server;

	private String url;

	private String token;

	@BeforeEach
	void start() {
		BoundTokenVerifier verifier = BoundTokenVerifier.fromKeys(this.tokens.publicKeys())
			.dpop(DpopProofVerifier.withReplayStore(new InMemoryDpopReplayStore(100, Clock.systemUTC())).build())
			.build();
		ApplicationContextInitializer<ConfigurableApplicationContext> beans = (context) -> context.getBeanFactory()
			.registerSingleton("verifier", verifier);
		this.server = new SpringApplicationBuilder(ResourceServer.class).initializers(beans)
			.run("--server.port=0", "--server.address=127.0.0.1");
		this.url = "http://127.0.0.1:" + this.server.getEnvironment().getProperty("local.server.port") + "/orders";
		this.token = this.tokens.sign(
				this.tokens.claims(Instant.now(), null).claim("cnf", Map.of("jkt", this.proofs.thumbprint())).build());
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void dpopTokenWithValidProofReachesTheControllerWithScopeAuthorities() throws Exception {
		HttpResponse<String> response = get("DPoP " + this.token, proof("GET", this.url));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("spiffe://example.org/ns/web SCOPE_orders.read SCOPE_orders.write");
	}

	@Test
	void replayedProofIsRefusedWithTheDpopChallenge() throws Exception {
		String proof = proof("GET", this.url);
		assertThat(get("DPoP " + this.token, proof).statusCode()).isEqualTo(200);
		HttpResponse<String> replay = get("DPoP " + this.token, proof);
		assertThat(replay.statusCode()).isEqualTo(401);
		assertThat(replay.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("DPoP error=\"invalid_dpop_proof\"")
				.contains("used before"));
	}

	@Test
	void proofForAnotherMethodIsRefusedWithTheDpopChallenge() throws Exception {
		HttpResponse<String> response = get("DPoP " + this.token, proof("POST", this.url));
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().allValues("WWW-Authenticate")).singleElement()
			.satisfies((challenge) -> assertThat(challenge).startsWith("DPoP error=\"invalid_dpop_proof\"")
				.contains("htm"));
	}

	@Test
	void dpopTokenSentAsBearerIsRefusedBySpringsEntryPoint() throws Exception {
		HttpResponse<String> response = get("Bearer " + this.token, proof("GET", this.url));
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Bearer error=\"invalid_token\"")
				.contains("bound to a DPoP key"));
	}

	private String proof(String method, String uri) {
		return this.proofs.proof(method, uri, Instant.now(), this.token);
	}

	private HttpResponse<String> get(String authorization, String proof) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.url))
			.header("Authorization", authorization)
			.header("DPoP", proof)
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Orders.class)
	static class ResourceServer {

		@Bean
		SecurityFilterChain resourceServer(HttpSecurity http, BoundTokenVerifier verifier) {
			ClientCertificateResolver certificates = ClientCertificateResolver.direct();
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().hasAuthority("SCOPE_orders.read"))
				.oauth2ResourceServer((server) -> server
					.authenticationManagerResolver(new BoundTokenAuthenticationManagerResolver(verifier, certificates)))
				.addFilterBefore(new DpopBoundTokenAuthenticationFilter(verifier, certificates),
						BearerTokenAuthenticationFilter.class)
				.build();
		}

	}

	@RestController
	static class Orders {

		@GetMapping("/orders")
		String orders(Authentication authentication) {
			return authentication.getName() + " "
					+ authentication.getAuthorities()
						.stream()
						.map(GrantedAuthority::getAuthority)
						.sorted()
						.collect(Collectors.joining(" "));
		}

	}

}
