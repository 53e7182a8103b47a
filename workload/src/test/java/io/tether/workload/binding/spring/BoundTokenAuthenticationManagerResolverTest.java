package io.tether.workload.binding.spring;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;

import io.tether.pki.testing.TestPki;
import io.tether.workload.binding.ClientCertificateResolver;
import io.tether.workload.binding.TestRequests;
import io.tether.workload.binding.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.BearerTokenError;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BoundTokenAuthenticationManagerResolverTest {

	private static final Instant NOW = Instant.parse("2026-11-25T09:00:00Z");

	private final TestPki pki = TestPki.root().intermediate();

	private final X509Certificate client = this.pki.leaf("spiffe://example.org/ns/web").certificate();

	private final X509Certificate other = this.pki.leaf("spiffe://example.org/ns/other").certificate();

	private final TestTokens tokens = new TestTokens("k1");

	private final BoundTokenAuthenticationManagerResolver resolver = new BoundTokenAuthenticationManagerResolver(
			this.tokens.verifier(NOW), ClientCertificateResolver.direct());

	private final String token = this.tokens.boundTo(NOW, this.client);

	@Test
	void boundTokenOnItsCertificatesConnectionAuthenticatesWithScopeAuthorities() {
		Authentication result = this.resolver
			.resolve(TestRequests.request("203.0.113.9", Map.of(),
					Map.of(TestRequests.TLS, new X509Certificate[] { this.client })))
			.authenticate(new BearerTokenAuthenticationToken(this.token));
		assertThat(result.isAuthenticated()).isTrue();
		assertThat(result.getName()).isEqualTo("spiffe://example.org/ns/web");
		assertThat(result.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactly("SCOPE_orders.read", "SCOPE_orders.write");
	}

	@Test
	void tokenOnAnotherCertificatesConnectionIsAnInvalidToken() {
		assertThatExceptionOfType(InvalidBearerTokenException.class)
			.isThrownBy(() -> this.resolver
				.resolve(TestRequests.request("203.0.113.9", Map.of(),
						Map.of(TestRequests.TLS, new X509Certificate[] { this.other })))
				.authenticate(new BearerTokenAuthenticationToken(this.token)))
			.satisfies((ex) -> assertThat(((BearerTokenError) ex.getError()).getErrorCode()).isEqualTo("invalid_token"))
			.withMessageContaining("bound to another certificate");
	}

	@Test
	void tokenWithoutClientCertificateIsAnInvalidToken() {
		assertThatExceptionOfType(InvalidBearerTokenException.class)
			.isThrownBy(() -> this.resolver.resolve(TestRequests.request("203.0.113.9", Map.of(), Map.of()))
				.authenticate(new BearerTokenAuthenticationToken(this.token)))
			.withMessageContaining("presented none");
	}

	@Test
	void dpopBoundTokenIsRefusedHereAsABearerToken() {
		String dpop = this.tokens.sign(this.tokens.claims(NOW, null)
			.claim("cnf", Map.of("jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"))
			.build());
		assertThatExceptionOfType(InvalidBearerTokenException.class).isThrownBy(() -> this.resolver
			.resolve(TestRequests.request("203.0.113.9", Map.of(),
					Map.of(TestRequests.TLS, new X509Certificate[] { this.client })))
			.authenticate(new BearerTokenAuthenticationToken(dpop))).withMessageContaining("bound to a DPoP key");
	}

}
