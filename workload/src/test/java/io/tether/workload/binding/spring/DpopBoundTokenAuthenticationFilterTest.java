package io.tether.workload.binding.spring;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.tether.pki.testing.TestPki;
import io.tether.workload.binding.BoundTokenVerifier;
import io.tether.workload.binding.ClientCertificateResolver;
import io.tether.workload.binding.DpopNonces;
import io.tether.workload.binding.DpopProofVerifier;
import io.tether.workload.binding.InMemoryDpopReplayStore;
import io.tether.workload.binding.TestProofs;
import io.tether.workload.binding.TestRequests;
import io.tether.workload.binding.TestTokens;
import io.tether.workload.binding.VerifiedToken;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.BearerTokenError;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link DpopBoundTokenAuthenticationFilter} in front of
 * {@link BoundTokenAuthenticationManagerResolver}: DPoP requests are authenticated or
 * refused with RFC 9449's challenges, bearer requests are left to the resolver.
 */
class DpopBoundTokenAuthenticationFilterTest {

	private static final Instant NOW = Instant.parse("2026-11-25T09:00:00Z");

	private static final String URL = "https://orders.test/orders";

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final TestTokens tokens = new TestTokens("k1");

	private final TestProofs proofs = new TestProofs();

	private final DpopNonces nonces = new DpopNonces(new byte[32], Duration.ofMinutes(5), this.clock);

	private final String token = this.tokens
		.sign(this.tokens.claims(NOW, null).claim("cnf", Map.of("jkt", this.proofs.thumbprint())).build());

	private final BoundTokenVerifier verifier = verifier(null);

	private final DpopBoundTokenAuthenticationFilter filter = new DpopBoundTokenAuthenticationFilter(this.verifier,
			ClientCertificateResolver.direct());

	@AfterEach
	void clearContext() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void dpopTokenWithValidProofIsAuthenticatedWithScopeAuthorities() throws Exception {
		Authentication authentication = accepted(this.filter, request("DPoP " + this.token, proof("GET", URL)));
		assertThat(authentication).isInstanceOf(BoundTokenAuthentication.class);
		assertThat(authentication.isAuthenticated()).isTrue();
		assertThat(authentication.getName()).isEqualTo("spiffe://example.org/ns/web");
		assertThat(authentication.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactly("SCOPE_orders.read", "SCOPE_orders.write");
		assertThat(((VerifiedToken) authentication.getPrincipal()).jkt()).isEqualTo(this.proofs.thumbprint());
	}

	@Test
	void proofForAnotherMethodIsInvalidDpopProof() throws Exception {
		assertThat(refused(this.filter, request("DPoP " + this.token, proof("POST", URL))))
			.startsWith("DPoP error=\"invalid_dpop_proof\"")
			.contains("htm");
	}

	@Test
	void proofForAnotherUriIsInvalidDpopProof() throws Exception {
		assertThat(refused(this.filter, request("DPoP " + this.token, proof("GET", "https://orders.test/admin"))))
			.startsWith("DPoP error=\"invalid_dpop_proof\"")
			.contains("htu");
	}

	@Test
	void replayedProofIsInvalidDpopProof() throws Exception {
		String proof = proof("GET", URL);
		accepted(this.filter, request("DPoP " + this.token, proof));
		SecurityContextHolder.clearContext();
		assertThat(refused(this.filter, request("DPoP " + this.token, proof)))
			.startsWith("DPoP error=\"invalid_dpop_proof\"")
			.contains("used before");
	}

	@Test
	void proofForAnotherAccessTokenIsInvalidDpopProof() throws Exception {
		String proof = this.proofs.proof("GET", URL, NOW, "another-access-token");
		assertThat(refused(this.filter, request("DPoP " + this.token, proof)))
			.startsWith("DPoP error=\"invalid_dpop_proof\"")
			.contains("ath");
	}

	@Test
	void missingProofIsInvalidDpopProof() throws Exception {
		assertThat(refused(this.filter, request("DPoP " + this.token, null)))
			.startsWith("DPoP error=\"invalid_dpop_proof\"")
			.contains("no DPoP proof");
	}

	@Test
	void unboundTokenSentAsDpopIsInvalidTokenWithADpopChallenge() throws Exception {
		String unbound = this.tokens.sign(this.tokens.claims(NOW, null).build());
		assertThat(refused(this.filter, request("DPoP " + unbound, this.proofs.proof("GET", URL, NOW, unbound))))
			.startsWith("DPoP error=\"invalid_token\"");
	}

	@Test
	void proofWithoutTheRequiredNonceIsUseDpopNonceWithTheNonce() throws Exception {
		DpopBoundTokenAuthenticationFilter filter = new DpopBoundTokenAuthenticationFilter(verifier(this.nonces),
				ClientCertificateResolver.direct());
		Map<String, String> response = new HashMap<>();
		AtomicReference<Authentication> passed = new AtomicReference<>();
		filter.doFilter(request("DPoP " + this.token, proof("GET", URL)), TestRequests.response(response),
				(req, res) -> passed.set(SecurityContextHolder.getContext().getAuthentication()));
		assertThat(passed).hasNullValue();
		assertThat(response).containsEntry("status", "401").containsEntry("DPoP-Nonce", this.nonces.current());
		assertThat(response.get("WWW-Authenticate")).startsWith("DPoP error=\"use_dpop_nonce\"");
	}

	@Test
	void acceptedRequestGetsTheCurrentNonce() throws Exception {
		DpopBoundTokenAuthenticationFilter filter = new DpopBoundTokenAuthenticationFilter(verifier(this.nonces),
				ClientCertificateResolver.direct());
		Map<String, Object> claims = this.proofs.claims("GET", URL, NOW, this.token);
		claims.put("nonce", this.nonces.current());
		Map<String, String> response = new HashMap<>();
		AtomicReference<Authentication> passed = new AtomicReference<>();
		filter.doFilter(request("DPoP " + this.token, this.proofs.sign(this.proofs.header(), claims)),
				TestRequests.response(response),
				(req, res) -> passed.set(SecurityContextHolder.getContext().getAuthentication()));
		assertThat(passed.get()).isInstanceOf(BoundTokenAuthentication.class);
		assertThat(response).containsOnlyKeys("DPoP-Nonce").containsEntry("DPoP-Nonce", this.nonces.current());
	}

	@Test
	void dpopTokenSentAsBearerPassesTheFilterAndIsRefusedByTheResolver() throws Exception {
		HttpServletRequest request = request("Bearer " + this.token, proof("GET", URL));
		Map<String, String> response = new HashMap<>();
		AtomicReference<Boolean> passed = new AtomicReference<>(false);
		this.filter.doFilter(request, TestRequests.response(response), (req, res) -> passed.set(true));
		assertThat(passed).hasValue(true);
		assertThat(response).isEmpty();
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
		assertThatExceptionOfType(InvalidBearerTokenException.class)
			.isThrownBy(
					() -> new BoundTokenAuthenticationManagerResolver(this.verifier, ClientCertificateResolver.direct())
						.resolve(request)
						.authenticate(new BearerTokenAuthenticationToken(this.token)))
			.satisfies((ex) -> assertThat(((BearerTokenError) ex.getError()).getErrorCode()).isEqualTo("invalid_token"))
			.withMessageContaining("bound to a DPoP key");
	}

	@Test
	void mtlsBoundBearerTokenPassesTheFilterAndStillAuthenticatesThroughTheResolver() throws Exception {
		TestPki pki = TestPki.root().intermediate();
		X509Certificate client = pki.leaf("spiffe://example.org/ns/web").certificate();
		HttpServletRequest request = TestRequests.request("GET", URL, "203.0.113.9",
				Map.of("Authorization", List.of("Bearer " + this.tokens.boundTo(NOW, client))),
				Map.of(TestRequests.TLS, new X509Certificate[] { client }));
		Map<String, String> response = new HashMap<>();
		AtomicReference<Boolean> passed = new AtomicReference<>(false);
		this.filter.doFilter(request, TestRequests.response(response), (req, res) -> passed.set(true));
		assertThat(passed).hasValue(true);
		assertThat(response).isEmpty();
		Authentication result = new BoundTokenAuthenticationManagerResolver(this.verifier,
				ClientCertificateResolver.direct())
			.resolve(request)
			.authenticate(new BearerTokenAuthenticationToken(this.tokens.boundTo(NOW, client)));
		assertThat(result.isAuthenticated()).isTrue();
		assertThat(result.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactly("SCOPE_orders.read", "SCOPE_orders.write");
	}

	@Test
	void requestWithoutTokenPassesTheFilterForSpringsEntryPoint() throws Exception {
		Map<String, String> response = new HashMap<>();
		AtomicReference<Boolean> passed = new AtomicReference<>(false);
		this.filter.doFilter(request(null, null), TestRequests.response(response), (req, res) -> passed.set(true));
		assertThat(passed).hasValue(true);
		assertThat(response).isEmpty();
	}

	@Test
	void nullVerifierIsRefused() {
		assertThatExceptionOfType(NullPointerException.class)
			.isThrownBy(() -> new DpopBoundTokenAuthenticationFilter(null, ClientCertificateResolver.direct()))
			.withMessage("'verifier' must not be null");
	}

	private BoundTokenVerifier verifier(DpopNonces nonces) {
		return BoundTokenVerifier.fromKeys(this.tokens.publicKeys())
			.clock(this.clock)
			.dpop(DpopProofVerifier.withReplayStore(new InMemoryDpopReplayStore(100, this.clock))
				.nonces(nonces)
				.clock(this.clock)
				.build())
			.build();
	}

	private String proof(String method, String uri) {
		return this.proofs.proof(method, uri, NOW, this.token);
	}

	private static HttpServletRequest request(String authorization, String proof) {
		Map<String, List<String>> headers = new HashMap<>();
		if (authorization != null) {
			headers.put("Authorization", List.of(authorization));
		}
		if (proof != null) {
			headers.put("DPoP", List.of(proof));
		}
		return TestRequests.request("GET", URL, "203.0.113.9", headers, Map.of());
	}

	/** Runs the filter, expects the chain to go on, and returns who it authenticated. */
	private static Authentication accepted(DpopBoundTokenAuthenticationFilter filter, HttpServletRequest request)
			throws Exception {
		Map<String, String> response = new HashMap<>();
		AtomicReference<Authentication> passed = new AtomicReference<>();
		filter.doFilter(request, TestRequests.response(response),
				(req, res) -> passed.set(SecurityContextHolder.getContext().getAuthentication()));
		assertThat(response).doesNotContainKey("status");
		assertThat(passed.get()).isNotNull();
		return passed.get();
	}

	/**
	 * Runs the filter, expects a 401 that stops the chain with nobody authenticated, and
	 * returns its challenge.
	 */
	private static String refused(DpopBoundTokenAuthenticationFilter filter, HttpServletRequest request)
			throws Exception {
		Map<String, String> response = new HashMap<>();
		AtomicReference<Boolean> passed = new AtomicReference<>(false);
		filter.doFilter(request, TestRequests.response(response), (req, res) -> passed.set(true));
		assertThat(passed).hasValue(false);
		// a plain status: sendError would start an error dispatch through the security
		// chain, whose entry point would replace the DPoP challenge
		assertThat(response).containsEntry("status", "401").doesNotContainKey("sendError");
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
		return response.get("WWW-Authenticate");
	}

}
