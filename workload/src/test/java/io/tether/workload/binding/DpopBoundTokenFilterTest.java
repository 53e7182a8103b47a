package io.tether.workload.binding;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BoundTokenFilter} with {@code Authorization: DPoP}: the challenges and error
 * codes of RFC 9449 §7.1 and §9.
 */
class DpopBoundTokenFilterTest {

	private static final Instant NOW = Instant.parse("2026-11-25T09:00:00Z");

	private static final String URL = "https://orders.test/orders";

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final TestTokens tokens = new TestTokens("k1");

	private final TestProofs proofs = new TestProofs();

	private final DpopNonces nonces = new DpopNonces(new byte[32], Duration.ofMinutes(5), this.clock);

	private final String token = this.tokens
		.sign(this.tokens.claims(NOW, null).claim("cnf", Map.of("jkt", this.proofs.thumbprint())).build());

	private BoundTokenFilter filter(DpopNonces nonces) {
		return new BoundTokenFilter(BoundTokenVerifier.fromKeys(this.tokens.publicKeys())
			.clock(this.clock)
			.dpop(DpopProofVerifier.withReplayStore(new InMemoryDpopReplayStore(100, this.clock))
				.nonces(nonces)
				.clock(this.clock)
				.build())
			.build(), ClientCertificateResolver.direct());
	}

	@Test
	void dpopTokenWithValidProofPassesAndGetsTheCurrentNonce() throws Exception {
		Map<String, Object> claims = this.proofs.claims("GET", URL, NOW, this.token);
		claims.put("nonce", this.nonces.current());
		Map<String, String> response = new HashMap<>();
		HttpServletRequest request = request("DPoP " + this.token,
				List.of(this.proofs.sign(this.proofs.header(), claims)));
		AtomicBoolean passed = new AtomicBoolean();
		filter(this.nonces).doFilter(request, TestRequests.response(response), (req, res) -> passed.set(true));
		assertThat(passed).isTrue();
		assertThat(response).containsOnlyKeys("DPoP-Nonce").containsEntry("DPoP-Nonce", this.nonces.current());
		assertThat(((VerifiedToken) request.getAttribute(VerifiedToken.REQUEST_ATTRIBUTE)).jkt())
			.isEqualTo(this.proofs.thumbprint());
	}

	@Test
	void badProofIs401InvalidDpopProofWithADpopChallenge() throws Exception {
		Map<String, String> response = refused(filter(null), "DPoP " + this.token,
				List.of(this.proofs.proof("POST", URL, NOW, this.token)));
		assertThat(response.get("WWW-Authenticate"))
			.startsWith("DPoP error=\"invalid_dpop_proof\", error_description=\"")
			.contains("htm", "algs=\"ES256 ");
	}

	@Test
	void proofWithoutNonceIs401UseDpopNonceWithTheNonce() throws Exception {
		Map<String, String> response = refused(filter(this.nonces), "DPoP " + this.token,
				List.of(this.proofs.proof("GET", URL, NOW, this.token)));
		assertThat(response.get("WWW-Authenticate")).startsWith("DPoP error=\"use_dpop_nonce\"");
		assertThat(response).containsEntry("DPoP-Nonce", this.nonces.current());
	}

	@Test
	void twoProofHeadersAreRefused() throws Exception {
		Map<String, String> response = refused(filter(null), "DPoP " + this.token, List
			.of(this.proofs.proof("GET", URL, NOW, this.token), this.proofs.proof("GET", URL, NOW, this.token)));
		assertThat(response.get("WWW-Authenticate")).startsWith("DPoP error=\"invalid_dpop_proof\"")
			.contains("more than one DPoP header");
	}

	@Test
	void dpopTokenAsBearerIs401InvalidToken() throws Exception {
		Map<String, String> response = refused(filter(null), "Bearer " + this.token,
				List.of(this.proofs.proof("GET", URL, NOW, this.token)));
		assertThat(response.get("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"")
			.contains("bound to a DPoP key");
	}

	@Test
	void unboundTokenAsDpopIs401InvalidTokenWithADpopChallenge() throws Exception {
		String unbound = this.tokens.sign(this.tokens.claims(NOW, null).build());
		Map<String, String> response = refused(filter(null), "DPoP " + unbound,
				List.of(this.proofs.proof("GET", URL, NOW, unbound)));
		assertThat(response.get("WWW-Authenticate")).startsWith("DPoP error=\"invalid_token\"");
	}

	@Test
	void noTokenChallengesForBothSchemes() throws Exception {
		Map<String, String> response = refused(filter(null), null, List.of());
		assertThat(response).containsEntry("WWW-Authenticate",
				"Bearer, DPoP algs=\"ES256 ES384 ES512 RS256 RS384 RS512 PS256 PS384 PS512\"");
	}

	private HttpServletRequest request(String authorization, List<String> proofs) {
		Map<String, List<String>> headers = new HashMap<>();
		if (authorization != null) {
			headers.put("Authorization", List.of(authorization));
		}
		if (!proofs.isEmpty()) {
			headers.put("DPoP", proofs);
		}
		return TestRequests.request("GET", URL, "203.0.113.9", headers, Map.of());
	}

	private Map<String, String> refused(BoundTokenFilter filter, String authorization, List<String> proofs)
			throws Exception {
		Map<String, String> response = new HashMap<>();
		AtomicBoolean passed = new AtomicBoolean();
		filter.doFilter(request(authorization, proofs), TestRequests.response(response),
				(req, res) -> passed.set(true));
		assertThat(passed).isFalse();
		assertThat(response).containsEntry("status", "401");
		return response;
	}

}
