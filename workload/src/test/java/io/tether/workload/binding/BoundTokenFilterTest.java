package io.tether.workload.binding;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tether.pki.testing.TestPki;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BoundTokenFilterTest {

	private static final Instant NOW = Instant.parse("2026-11-25T09:00:00Z");

	private final TestPki pki = TestPki.root().intermediate();

	private final X509Certificate client = this.pki.leaf("spiffe://example.org/ns/web").certificate();

	private final X509Certificate other = this.pki.leaf("spiffe://example.org/ns/other").certificate();

	private final TestTokens tokens = new TestTokens("k1");

	private final BoundTokenFilter filter = new BoundTokenFilter(this.tokens.verifier(NOW),
			ClientCertificateResolver.direct());

	private final String token = this.tokens.boundTo(NOW, this.client);

	@Test
	void boundTokenOnItsCertificatesConnectionPassesWithTheTokenAttached() throws Exception {
		HttpServletRequest request = TestRequests.request("203.0.113.9",
				Map.of("Authorization", "Bearer " + this.token),
				Map.of(TestRequests.TLS, new X509Certificate[] { this.client }));
		Map<String, String> response = new HashMap<>();
		AtomicBoolean passed = new AtomicBoolean();
		this.filter.doFilter(request, TestRequests.response(response), (req, res) -> passed.set(true));
		assertThat(passed).isTrue();
		assertThat(response).isEmpty();
		assertThat(request.getAttribute(VerifiedToken.REQUEST_ATTRIBUTE)).isInstanceOf(VerifiedToken.class);
	}

	@Test
	void sameTokenOnAnotherCertificatesConnectionIs401InvalidToken() throws Exception {
		Map<String, String> response = run(Map.of("Authorization", "Bearer " + this.token), this.other);
		assertThat(response).containsEntry("status", "401");
		assertThat(response.get("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\", error_description=\"")
			.contains("bound to another certificate");
	}

	@Test
	void missingTokenIs401WithoutErrorCode() throws Exception {
		Map<String, String> response = run(Map.of(), this.client);
		assertThat(response).containsEntry("status", "401").containsEntry("WWW-Authenticate", "Bearer");
	}

	@Test
	void tokenWithoutClientCertificateIs401() throws Exception {
		Map<String, String> response = run(Map.of("Authorization", "Bearer " + this.token), null);
		assertThat(response).containsEntry("status", "401");
		assertThat(response.get("WWW-Authenticate")).contains("invalid_token", "presented none");
	}

	private Map<String, String> run(Map<String, String> headers, X509Certificate certificate) throws Exception {
		HttpServletRequest request = TestRequests.request("203.0.113.9", headers,
				(certificate != null) ? Map.of(TestRequests.TLS, new X509Certificate[] { certificate }) : Map.of());
		Map<String, String> response = new HashMap<>();
		AtomicBoolean passed = new AtomicBoolean();
		this.filter.doFilter(request, TestRequests.response(response), (req, res) -> passed.set(true));
		assertThat(passed).isFalse();
		return response;
	}

}
