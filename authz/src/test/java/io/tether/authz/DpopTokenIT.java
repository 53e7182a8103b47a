package io.tether.authz;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.tether.pki.AtomicFiles;
import io.tether.pki.Pem;
import io.tether.pki.Thumbprints;
import io.tether.pki.testing.TestPki;
import io.tether.workload.TetherSsl;
import io.tether.workload.X509Credentials;
import io.tether.workload.binding.BoundTokenVerifier;
import io.tether.workload.binding.DpopProofSigner;
import io.tether.workload.binding.DpopProofVerifier;
import io.tether.workload.binding.DpopTokenClient;
import io.tether.workload.binding.InMemoryDpopReplayStore;
import io.tether.workload.binding.InvalidTokenException;
import io.tether.workload.binding.VerifiedToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A workload that sends a DPoP proof with its {@code tls_client_auth} token request gets
 * a token bound to both its certificate and its DPoP key ({@code token_type} DPoP), which
 * a resource server accepts only with both; a bad proof is refused with
 * {@code invalid_dpop_proof}. The CA is a stand-in that answers "valid".
 */
class DpopTokenIT {

	@TempDir
	Path dir;

	private final TestPki root = TestPki.root();

	private final TestPki intermediate = this.root.intermediate();

	@Test
	void tokenRequestWithDpopProofGetsATokenBoundToKeyAndCertificate() throws Exception {
		TestPki.Issued own = this.intermediate.leaf("spiffe://td/ns/authz", "localhost");
		write("key.pem", Pem.write(own.keys().getPrivate()), AtomicFiles.OWNER_ONLY);
		write("cert.pem", Pem.write(own.chain()), AtomicFiles.PUBLIC_READ);
		write("bundle.pem", Pem.write(
				List.of(this.root.rootCredential().certificate(), this.intermediate.issuerCredential().certificate())),
				AtomicFiles.PUBLIC_READ);
		HttpsServer ca = fakeCa(this.intermediate.leaf("spiffe://td/ca", "localhost"));
		TestPki.Issued web = this.intermediate.leaf("spiffe://td/ns/web");
		try (ConfigurableApplicationContext authz = new SpringApplicationBuilder(TetherAuthzApplication.class).run(
				"--server.port=0", "--management.server.port=-1", "--tether.authz.issuer=https://localhost",
				"--tether.authz.data-dir=" + this.dir.resolve("data"),
				"--tether.authz.ca-url=https://localhost:" + ca.getAddress().getPort(),
				"--tether.authz.credentials.certificate=" + this.dir.resolve("cert.pem"),
				"--tether.authz.credentials.key=" + this.dir.resolve("key.pem"),
				"--tether.authz.credentials.bundle=" + this.dir.resolve("bundle.pem"),
				"--tether.authz.clients[0].spiffe-id=spiffe://td/ns/web",
				"--tether.authz.clients[0].scopes=orders.read", "--tether.authz.clients[0].audiences=orders");
				HttpClient http = HttpClient.newBuilder()
					.sslContext(TetherSsl.context(() -> new X509Credentials(web.keys().getPrivate(), web.chain(),
							List.of(this.root.rootCredential().certificate()))))
					.connectTimeout(Duration.ofSeconds(5))
					.build()) {
			String base = "https://localhost:" + authz.getEnvironment().getProperty("local.server.port");
			URI tokenEndpoint = URI.create(base + "/oauth2/token");
			DpopProofSigner key = DpopProofSigner.generate(Clock.systemUTC());

			HttpResponse<String> refused = http.send(HttpRequest.newBuilder(tokenEndpoint)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("DPoP", key.proof("POST", URI.create(base + "/oauth2/elsewhere"), null, null))
				.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
			assertThat(refused.body()).contains("invalid_dpop_proof");

			DpopTokenClient client = new DpopTokenClient(tokenEndpoint,
					Map.of("grant_type", "client_credentials", "scope", "orders.read"), http, key, Clock.systemUTC());
			String token = client.token();
			Map<String, Object> cnf = SignedJWT.parse(token).getJWTClaimsSet().getJSONObjectClaim("cnf");
			assertThat(cnf).containsEntry("jkt", key.thumbprint())
				.containsEntry("x5t#S256", Thumbprints.x5tS256(web.certificate()));

			BoundTokenVerifier resource = BoundTokenVerifier
				.fromKeys(JWKSourceBuilder
					.create(URI.create(base + "/oauth2/jwks").toURL(),
							new com.nimbusds.jose.util.DefaultResourceRetriever(5000, 5000, 512 * 1024, true,
									TetherSsl
										.context(() -> new X509Credentials(web.keys().getPrivate(), web.chain(),
												List.of(this.root.rootCredential().certificate())))
										.getSocketFactory()))
					.build())
				.issuer("https://localhost")
				.audience("orders")
				.dpop(DpopProofVerifier.withReplayStore(new InMemoryDpopReplayStore(100, Clock.systemUTC())).build())
				.build();
			String orders = "https://orders.test/orders";
			VerifiedToken verified = resource.verifyDpop(token, key.proof("GET", URI.create(orders), token, null),
					"GET", orders, web.certificate());
			assertThat(verified.subject()).isEqualTo("spiffe://td/ns/web");
			assertThatExceptionOfType(InvalidTokenException.class)
				.isThrownBy(() -> resource.verify(token, web.certificate()))
				.withMessageStartingWith("The access token is bound to a DPoP key");

			HttpResponse<String> metadata = http.send(
					HttpRequest.newBuilder(URI.create(base + "/.well-known/oauth-authorization-server")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(JSONObjectUtils.parse(metadata.body()).get("dpop_signing_alg_values_supported"))
				.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
				.contains("ES256");
		}
		finally {
			ca.stop(0);
		}
	}

	private HttpsServer fakeCa(TestPki.Issued identity) throws IOException {
		HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.setHttpsConfigurator(
				new HttpsConfigurator(TetherSsl.context(() -> new X509Credentials(identity.keys().getPrivate(),
						identity.chain(), List.of(this.root.rootCredential().certificate())))));
		server.createContext("/v1/certificates/status",
				(exchange) -> respond(exchange, "{\"known\":true,\"status\":\"valid\"}"));
		server.createContext("/v1/bundle", (exchange) -> respond(exchange, Pem.write(List
			.of(this.root.rootCredential().certificate(), this.intermediate.issuerCredential().certificate()))));
		server.start();
		return server;
	}

	private static void respond(HttpExchange exchange, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(200, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private void write(String name, String pem, Set<PosixFilePermission> mode) throws IOException {
		AtomicFiles.write(this.dir.resolve(name), pem.getBytes(StandardCharsets.US_ASCII), mode);
	}

}
