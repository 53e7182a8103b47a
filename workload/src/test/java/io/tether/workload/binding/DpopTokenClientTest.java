package io.tether.workload.binding;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * {@link DpopTokenClient} against a token endpoint and a resource server on loopback that
 * both require server nonces, verify proofs with {@link DpopProofVerifier} and issue and
 * check {@code cnf.jkt} tokens.
 */
class DpopTokenClientTest {

	private static final Instant NOW = Instant.parse("2026-11-25T09:00:00Z");

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final TestTokens tokens = new TestTokens("k1");

	private final DpopNonces authzNonces = new DpopNonces("authorization server nonce secret".getBytes(),
			Duration.ofMinutes(5), this.clock);

	private final DpopNonces resourceNonces = new DpopNonces("resource server nonce secret, other".getBytes(),
			Duration.ofMinutes(5), this.clock);

	private final DpopProofVerifier tokenEndpointProofs = DpopProofVerifier
		.withReplayStore(new InMemoryDpopReplayStore(100, this.clock))
		.nonces(this.authzNonces)
		.clock(this.clock)
		.build();

	private final BoundTokenVerifier resource = BoundTokenVerifier.fromKeys(this.tokens.publicKeys())
		.clock(this.clock)
		.dpop(DpopProofVerifier.withReplayStore(new InMemoryDpopReplayStore(100, this.clock))
			.nonces(this.resourceNonces)
			.clock(this.clock)
			.build())
		.build();

	private final List<String> tokenRequests = new CopyOnWriteArrayList<>();

	private final AtomicInteger issued = new AtomicInteger();

	private String tokenType = "DPoP";

	private final HttpServer server;

	private final String base;

	DpopTokenClientTest() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/token", this::token);
		this.server.createContext("/orders", this::orders);
		this.server.start();
		this.base = "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	private void token(HttpExchange exchange) throws IOException {
		this.tokenRequests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
		try {
			String jkt = this.tokenEndpointProofs.verify(exchange.getRequestHeaders().getFirst("DPoP"), "POST",
					this.base + "/token", null, null);
			String token = this.tokens.sign(this.tokens.claims(NOW, null)
				.claim("cnf", Map.of("jkt", jkt))
				.jwtID("t" + this.issued.incrementAndGet())
				.build());
			respond(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"" + this.tokenType
					+ "\",\"expires_in\":300}");
		}
		catch (InvalidDpopProofException ex) {
			if (ex.nonce() != null) {
				exchange.getResponseHeaders().set("DPoP-Nonce", ex.nonce());
			}
			respond(exchange, 400, "{\"error\":\"" + ex.error() + "\"}");
		}
	}

	private void orders(HttpExchange exchange) throws IOException {
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		try {
			VerifiedToken token = this.resource.verifyDpop(authorization.substring("DPoP ".length()),
					exchange.getRequestHeaders().getFirst("DPoP"), exchange.getRequestMethod(),
					this.base + exchange.getRequestURI().getPath(), null);
			respond(exchange, 200, token.subject());
		}
		catch (InvalidTokenException ex) {
			if (ex instanceof InvalidDpopProofException proof && proof.nonce() != null) {
				exchange.getResponseHeaders().set("DPoP-Nonce", proof.nonce());
			}
			exchange.getResponseHeaders().set("WWW-Authenticate", "DPoP error=\"" + ex.error() + "\"");
			respond(exchange, 401, ex.getMessage());
		}
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private DpopTokenClient client(HttpClient http, DpopProofSigner signer) {
		return new DpopTokenClient(URI.create(this.base + "/token"),
				Map.of("grant_type", "client_credentials", "scope", "orders.read"), http, signer, this.clock);
	}

	@Test
	void callsTheResourceServerWithABoundTokenAndFreshProofsFollowingNonces() throws Exception {
		DpopProofSigner signer = DpopProofSigner.generate(this.clock);
		try (HttpClient http = HttpClient.newHttpClient()) {
			DpopTokenClient client = client(http, signer);
			for (int i = 0; i < 3; i++) {
				HttpResponse<String> response = client.send(
						HttpRequest.newBuilder(URI.create(this.base + "/orders?page=" + i)),
						HttpResponse.BodyHandlers.ofString());
				assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
				assertThat(response.body()).isEqualTo("spiffe://example.org/ns/web");
			}
			// one use_dpop_nonce refusal, then the token; cached for the next calls
			assertThat(this.tokenRequests).hasSize(2)
				.allSatisfy((form) -> assertThat(form).contains("grant_type=client_credentials", "scope=orders.read"));
			assertThat(this.issued).hasValue(1);
			assertThat(com.nimbusds.jwt.SignedJWT.parse(client.token()).getJWTClaimsSet().getJSONObjectClaim("cnf"))
				.containsEntry("jkt", signer.thumbprint());
		}
	}

	@Test
	void tokenThatIsNotDpopBoundIsAnError() {
		this.tokenType = "Bearer";
		try (HttpClient http = HttpClient.newHttpClient()) {
			assertThatIOException().isThrownBy(() -> client(http, DpopProofSigner.generate(this.clock)).token())
				.withMessage("The token endpoint did not bind the token to the DPoP key (token_type Bearer, not DPoP)");
		}
	}

	@Test
	void proofCarriesMethodUriWithoutQueryAndTokenHash() throws Exception {
		DpopProofSigner signer = DpopProofSigner.generate(this.clock);
		String proof = signer.proof("PUT", URI.create("https://orders.test/orders/7?x=1#f"), "tok", "n1");
		com.nimbusds.jwt.SignedJWT jwt = com.nimbusds.jwt.SignedJWT.parse(proof);
		assertThat(jwt.getHeader().getType().getType()).isEqualTo("dpop+jwt");
		assertThat(jwt.getHeader().getJWK().isPrivate()).isFalse();
		assertThat(jwt.getJWTClaimsSet().getClaims()).containsEntry("htm", "PUT")
			.containsEntry("htu", "https://orders.test/orders/7")
			.containsEntry("ath", DpopProofVerifier.ath("tok"))
			.containsEntry("nonce", "n1");
		assertThat(signer.proof("PUT", URI.create("https://orders.test/"), null, null))
			.isNotEqualTo(signer.proof("PUT", URI.create("https://orders.test/"), null, null));
	}

}
