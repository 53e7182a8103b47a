package io.tether.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import io.tether.demo.OrdersServer;
import io.tether.pki.Pem;
import io.tether.pki.Thumbprints;
import io.tether.pki.TlsContexts;
import io.tether.pki.testing.Commands;
import io.tether.pki.testing.SignInBrowser;
import io.tether.workload.PemFileCredentialSource;
import io.tether.workload.binding.BoundTokenClient;
import io.tether.workload.binding.BoundTokenFilter;
import io.tether.workload.binding.BoundTokenVerifier;
import io.tether.workload.binding.ClientCertificateResolver;
import io.tether.workload.binding.DpopProofVerifier;
import io.tether.workload.binding.InMemoryDpopReplayStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The main path end to end: a CA, an agent feeding four workloads, the authorization
 * server as a process of its own, and a resource server on the workload library.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthzIT {

	private static final String TD = TetherServer.TRUST_DOMAIN;

	private static final String PASSWORD = "alice's long passphrase";

	private Path work;

	private TetherServer ca;

	private final List<RunningProcess> processes = new ArrayList<>();

	private String authz;

	private OrdersServer resources;

	private final int authzManagementPort = RunningProcess.freePort();

	@BeforeAll
	void startEverything() throws IOException {
		this.work = Files.createTempDirectory("tether-authz-e2e");
		this.ca = new TetherServer(this.work.resolve("ca"), RunningProcess.freePort()).start();
		this.ca.createEntry(id("ns/authz"), "host-authz", List.of("localhost"), "PT30S");
		this.ca.createEntry(id("ns/orders"), "host-authz", List.of("localhost"), "PT10M");
		this.ca.createEntry(id("ns/client"), "host-authz", List.of(), "PT30S");
		this.ca.createEntry(id("ns/other"), "host-authz", List.of(), "PT10M");
		this.ca.createEntry(id("ns/revoked"), "host-authz", List.of(), "PT10M");
		startAgent("host-authz", List.of("authz", "orders", "client", "other", "revoked"));

		// a person who signs in for the CLI, with the hash the CLI makes
		TetherCommand.Result hash = new TetherCommand(this.work, Map.of()).runWithInput(PASSWORD + "\n",
				"password-hash", "--cost", "10");
		assertThat(hash.exitCode()).as(hash.toString()).isZero();

		int port = RunningProcess.freePort();
		this.authz = "https://localhost:" + port;
		Path credentials = this.work.resolve("authz");
		RunningProcess server = RunningProcess.start(List.of(System.getProperty("tether.java"), "-Xmx256m", "-jar",
				System.getProperty("tether.authz.jar"), "--server.port=" + port,
				"--management.server.port=" + this.authzManagementPort, "--tether.authz.issuer=" + this.authz,
				"--tether.authz.ca-url=" + this.ca.url(),
				"--tether.authz.credentials.certificate=" + credentials.resolve("cert.pem"),
				"--tether.authz.credentials.key=" + credentials.resolve("key.pem"),
				"--tether.authz.credentials.bundle=" + credentials.resolve("bundle.pem"),
				"--tether.authz.status-cache-ttl=PT1S", "--tether.authz.data-dir=" + this.work.resolve("authz-data"),
				"--tether.authz.clients[0].spiffe-id-prefix=spiffe://" + TD + "/ns/",
				"--tether.authz.clients[0].scopes[0]=orders.read", "--tether.authz.clients[0].audiences[0]=orders",
				"--tether.authz.public-clients[0].client-id=tether-cli",
				"--tether.authz.public-clients[0].scopes[0]=orders.read",
				"--tether.authz.public-clients[0].audiences[0]=orders", "--tether.authz.users[0].name=alice",
				"--tether.authz.users[0].password=" + hash.out().strip()), this.work.resolve("authz.log"));
		this.processes.add(server);
		server.awaitLog("Started TetherAuthzApplication", Duration.ofSeconds(120));

		Path orders = this.work.resolve("orders");
		this.resources = new OrdersServer(0, context(orders),
				BoundTokenVerifier.fromJwkSetUri(URI.create(this.authz + "/oauth2/jwks"), context(orders))
					.issuer(this.authz)
					.audience("orders")
					.dpop(DpopProofVerifier.withReplayStore(new InMemoryDpopReplayStore(1000, Clock.systemUTC()))
						.build())
					.build());
	}

	/**
	 * An agent process on host {@code host} feeding one workload per name into
	 * {@code work/<name>/}.
	 */
	private void startAgent(String host, List<String> names) throws IOException {
		StringBuilder workloads = new StringBuilder();
		for (String name : names) {
			Path out = this.work.resolve(name);
			workloads.append("""
					  - spiffeId: %s
					    outputs: {certificate: %s/cert.pem, key: %s/key.pem, bundle: %s/bundle.pem}
					""".formatted(id("ns/" + name), out, out, out));
		}
		Path config = this.work.resolve(host + ".yaml");
		Files.writeString(config, """
				servers: [%s]
				joinToken: %s
				dataDir: %s
				workloads:
				%s""".formatted(this.ca.url(), this.ca.createToken(host), this.work.resolve(host + "-data"),
				workloads));
		this.processes.add(RunningProcess.start(AgentProcess.command(config), this.work.resolve(host + ".log")));
		for (String name : names) {
			Path key = this.work.resolve(name).resolve("key.pem");
			RunningProcess.await(key + " written", Duration.ofSeconds(60), () -> Files.exists(key));
		}
	}

	@AfterAll
	void stopEverything() {
		if (this.resources != null) {
			this.resources.close();
		}
		this.processes.forEach(RunningProcess::close);
		if (this.ca != null) {
			this.ca.close();
		}
	}

	@Test
	void boundTokenIsAcceptedOnlyWithItsOwnCertificate() throws Exception {
		Path client = this.work.resolve("client");
		// one read of the 30 s certificate for both the handshake and openssl
		String pem = Files.readString(client.resolve("cert.pem"));
		HttpClient http = HttpClient.newBuilder()
			.sslContext(TlsContexts.mutual(Pem.readPrivateKey(Files.readString(client.resolve("key.pem"))),
					Pem.readCertificates(pem), Pem.readCertificates(Files.readString(client.resolve("bundle.pem")))))
			.build();
		JsonNode response = token(http);
		String token = response.get("access_token").asString();
		assertThat(response.get("token_type").asString()).isEqualTo("Bearer");

		// cnf is what openssl computes from the agent's certificate file
		Files.writeString(this.work.resolve("leaf.pem"), Pem.write(Pem.readCertificates(pem).get(0)));
		Commands.Result openssl = Commands.run(this.work, "sh", "-c",
				"openssl x509 -in leaf.pem -outform DER | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=\\n'");
		assertThat(openssl.exitCode()).as(openssl.output()).isZero();
		JsonNode claims = claims(token);
		assertThat(claims.get("cnf").get("x5t#S256").asString()).isEqualTo(openssl.output()).hasSize(43);
		assertThat(claims.get("sub").asString()).isEqualTo(id("ns/client"));
		JsonNode audience = claims.get("aud");
		assertThat(audience.isArray() ? audience.get(0).asString() : audience.asString()).isEqualTo("orders");
		X509Certificate leaf = Pem.readCertificates(pem).get(0);
		assertThat(Instant.ofEpochSecond(claims.get("exp").asLong()))
			.as("exp is capped at the 30 s certificate's notAfter, not the 5 min token TTL")
			.isBeforeOrEqualTo(leaf.getNotAfter().toInstant());

		assertThat(call(http, token).statusCode()).isEqualTo(200);
		HttpResponse<String> replayed = call(client(this.work.resolve("other")), token);
		assertThat(replayed.statusCode()).isEqualTo(401);
		assertThat(replayed.headers().firstValue("WWW-Authenticate")).get()
			.asString()
			.contains("invalid_token", "another certificate");
		assertThat(call(anonymous(), token).statusCode()).isEqualTo(401);
		assertThat(call(http, alterCnf(token)).statusCode()).isEqualTo(401);
	}

	@Test
	void aPersonAtATerminalSignsInGetsADpopBoundTokenAndCallsWithAProofPerRequest() throws Exception {
		Path key = this.work.resolve("alice/dpop-key.pem");
		TetherCommand cli = new TetherCommand(this.work, Map.of("HOME", this.work.resolve("alice").toString()));
		TetherCommand.Running get = cli.start(null, "token", "get", "--dpop", "--authz", this.authz, "--bundle",
				this.work.resolve("client/bundle.pem").toString(), "--scope", "orders.read", "--dpop-key",
				key.toString(), "-o", "json");
		Pattern address = Pattern.compile("https://\\S+/oauth2/authorize\\?\\S+");
		RunningProcess.await("the sign-in address on stderr", Duration.ofSeconds(30),
				() -> address.matcher(get.errSoFar()).find());
		Matcher found = address.matcher(get.errSoFar());
		assertThat(found.find()).isTrue();

		// the person's browser: signs in, and is sent back to the CLI's loopback listener
		List<X509Certificate> anchors = Pem.readCertificates(Files.readString(this.work.resolve("client/bundle.pem")));
		try (SignInBrowser browser = new SignInBrowser(anchors); HttpClient loopback = HttpClient.newHttpClient()) {
			SignInBrowser.Landing landing = browser.open(URI.create(found.group()), "alice", PASSWORD);
			assertThat(landing.uri().getHost()).as(String.valueOf(landing.body())).isEqualTo("127.0.0.1");
			HttpResponse<String> back = loopback.send(HttpRequest.newBuilder(landing.uri()).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(back.body()).contains("Signed in");
		}
		TetherCommand.Result result = get.await(Duration.ofSeconds(30));
		assertThat(result.exitCode()).as(result.toString()).isZero();
		JsonNode printed = TetherServer.JSON.readTree(result.out());
		assertThat(printed.get("token_type").asString()).isEqualTo("DPoP");
		String token = printed.get("access_token").asString();
		JsonNode claims = claims(token);
		assertThat(claims.get("sub").asString()).isEqualTo("alice");
		assertThat(claims.get("client_id").asString()).isEqualTo("tether-cli");
		assertThat(claims.get("cnf").get("jkt").asString()).isEqualTo(printed.get("jkt").asString());
		assertThat(claims.get("cnf").has("x5t#S256")).isFalse();

		// each call with a fresh proof from the same key; no client certificate needed
		String proof = proof(cli, key, token);
		HttpResponse<String> ok = callWithDpop(token, proof);
		assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
		assertThat(ok.body()).isEqualTo("orders for alice");
		assertThat(callWithDpop(token, proof(cli, key, token)).statusCode()).isEqualTo(200);

		HttpResponse<String> replayed = callWithDpop(token, proof);
		assertThat(replayed.statusCode()).isEqualTo(401);
		assertThat(replayed.headers().firstValue("WWW-Authenticate")).get()
			.asString()
			.startsWith("DPoP error=\"invalid_dpop_proof\"");
		assertThat(callWithDpop(token, proofWithNewKey(cli, token)).statusCode())
			.as("a proof from another key than the token's")
			.isEqualTo(401);
		assertThat(call(anonymous(), token).statusCode()).as("the DPoP token as a bearer token").isEqualTo(401);
	}

	private String proof(TetherCommand cli, Path key, String token) {
		TetherCommand.Result proof = cli.run("token", "proof", "--dpop-key", key.toString(), "--url",
				this.resources.uri().toString(), "--token", token);
		assertThat(proof.exitCode()).as(proof.toString()).isZero();
		return proof.out().strip();
	}

	private String proofWithNewKey(TetherCommand cli, String token) throws Exception {
		Path other = this.work.resolve("mallory/dpop-key.pem");
		Files.createDirectories(other.getParent());
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		Files.writeString(other, Pem.write(generator.generateKeyPair().getPrivate()));
		return proof(cli, other, token);
	}

	private HttpResponse<String> callWithDpop(String token, String proof) throws Exception {
		return anonymous().send(HttpRequest.newBuilder(this.resources.uri())
			.header("Authorization", "DPoP " + token)
			.header("DPoP", proof)
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void clientSendingOnlyItsLeafIsAccepted() throws Exception {
		// Spring's own converter would call a one-certificate chain self-signed and
		// refuse it
		Path other = this.work.resolve("other");
		X509Certificate leaf = Pem.readCertificates(Files.readString(other.resolve("cert.pem"))).get(0);
		HttpClient leafOnly = HttpClient.newBuilder()
			.sslContext(TlsContexts.mutual(Pem.readPrivateKey(Files.readString(other.resolve("key.pem"))),
					List.of(leaf), Pem.readCertificates(Files.readString(other.resolve("bundle.pem")))))
			.build();
		JsonNode claims = claims(token(leafOnly).get("access_token").asString());
		assertThat(claims.get("sub").asString()).isEqualTo(id("ns/other"));
		assertThat(claims.get("cnf").get("x5t#S256").asString()).isEqualTo(Thumbprints.x5tS256(leaf));
	}

	@Test
	void afterRotationTheOldTokenIsRefusedAndANewOneWorks() throws Exception {
		Path client = this.work.resolve("client");
		X509Certificate before = Pem.readCertificates(Files.readString(client.resolve("cert.pem"))).get(0);
		String old = token(client(client)).get("access_token").asString();
		RunningProcess.await("the client certificate rotated", Duration.ofSeconds(60), () -> {
			try {
				return !Pem.readCertificates(Files.readString(client.resolve("cert.pem"))).get(0).equals(before);
			}
			catch (IOException | RuntimeException ex) {
				return false;
			}
		});
		HttpClient rotated = client(client);
		assertThat(call(rotated, old).statusCode()).isEqualTo(401);
		assertThat(call(rotated, token(rotated).get("access_token").asString()).statusCode()).isEqualTo(200);
	}

	@Test
	void tokenClientKeepsCallingAcrossACertificateRotationWithoutAFailedCall() throws Exception {
		Path client = this.work.resolve("client");
		try (PemFileCredentialSource credentials = PemFileCredentialSource.watch(client.resolve("cert.pem"),
				client.resolve("key.pem"), client.resolve("bundle.pem"));
				BoundTokenClient tokens = new BoundTokenClient(URI.create(this.authz + "/oauth2/token"), "orders.read",
						credentials, Clock.systemUTC())) {
			Set<String> thumbprints = new LinkedHashSet<>();
			int calls = 0;
			Instant deadline = Instant.now().plusSeconds(60);
			while (thumbprints.size() < 2 || calls < 5) {
				assertThat(Instant.now()).as("a rotation within 60 s").isBefore(deadline);
				HttpResponse<String> response = tokens.send(HttpRequest.newBuilder(this.resources.uri()),
						HttpResponse.BodyHandlers.ofString());
				assertThat(response.statusCode()).as("call " + calls + ": " + response.body()).isEqualTo(200);
				thumbprints.add(claims(tokens.token()).get("cnf").get("x5t#S256").asString());
				calls++;
				Thread.sleep(250);
			}
			assertThat(thumbprints).as("tokens bound to the old and the new certificate")
				.hasSizeGreaterThanOrEqualTo(2);
		}
	}

	@Test
	void revokedCertificateGetsNoTokenAndItsTokensIntrospectInactive() throws Exception {
		Path revoked = this.work.resolve("revoked");
		HttpClient http = client(revoked);
		String token = token(http).get("access_token").asString();
		HttpClient introspector = client(this.work.resolve("other"));
		JsonNode active = introspect(introspector, token);
		assertThat(active.get("active").asBoolean()).isTrue();
		assertThat(active.get("cnf").get("x5t#S256").asString())
			.isEqualTo(claims(token).get("cnf").get("x5t#S256").asString());

		X509Certificate leaf = Pem.readCertificates(Files.readString(revoked.resolve("cert.pem"))).get(0);
		this.ca.post("/v1/certificates/" + leaf.getSerialNumber().toString(16) + "/revoke",
				Map.of("reason", "keyCompromise"));
		assertShutOut(http, introspector, token);
	}

	@Test
	void behindNginxTheForwardedCertificateIsBelievedButTheSameHeaderSentDirectlyIsNot() throws Exception {
		Path dir = Files.createDirectories(this.work.resolve("nginx"));
		Path orders = this.work.resolve("orders");
		// nginx connects to the backend from 127.0.0.2: the only address whose header is
		// believed
		BoundTokenFilter filter = new BoundTokenFilter(
				BoundTokenVerifier.fromJwkSetUri(URI.create(this.authz + "/oauth2/jwks"), context(orders))
					.issuer(this.authz)
					.audience("orders")
					.build(),
				ClientCertificateResolver.behindProxies(List.of("127.0.0.2"), "X-Client-Cert",
						ClientCertificateResolver.HeaderFormat.URL_ENCODED_PEM));
		int port = RunningProcess.freePort();
		try (ServletResourceServer backend = new ServletResourceServer(dir.resolve("tomcat"), filter);
				Nginx nginx = new Nginx(dir, """
						server {
						  listen 127.0.0.1:%1$d ssl;
						  ssl_certificate %2$s/cert.pem;
						  ssl_certificate_key %2$s/key.pem;
						  ssl_client_certificate %2$s/bundle.pem;
						  ssl_verify_client on;
						  ssl_verify_depth 3;
						  location / {
						    proxy_pass http://127.0.0.1:%3$d;
						    proxy_bind 127.0.0.2;
						    proxy_set_header X-Client-Cert $ssl_client_escaped_cert;
						  }
						}""".formatted(port, orders, backend.port()))) {
			nginx.start();
			Path client = this.work.resolve("client");
			String pem = Files.readString(client.resolve("cert.pem"));
			HttpClient http = HttpClient.newBuilder()
				.sslContext(TlsContexts.mutual(Pem.readPrivateKey(Files.readString(client.resolve("key.pem"))),
						Pem.readCertificates(pem),
						Pem.readCertificates(Files.readString(client.resolve("bundle.pem")))))
				.build();
			String token = token(http).get("access_token").asString();
			URI proxied = URI.create("https://localhost:" + port + "/orders");
			HttpResponse<String> accepted = http.send(
					HttpRequest.newBuilder(proxied).header("Authorization", "Bearer " + token).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
			assertThat(accepted.body()).isEqualTo("orders for " + id("ns/client"));

			HttpResponse<String> otherCertificate = client(this.work.resolve("other")).send(
					HttpRequest.newBuilder(proxied).header("Authorization", "Bearer " + token).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(otherCertificate.statusCode()).isEqualTo(401);

			// the client's own certificate in the header, straight to the backend:
			// ignored
			String escaped = URLEncoder.encode(Pem.write(Pem.readCertificates(pem).get(0)), StandardCharsets.US_ASCII)
				.replace("+", "%20");
			HttpResponse<String> direct = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.port() + "/orders"))
					.header("Authorization", "Bearer " + token)
					.header("X-Client-Cert", escaped)
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(direct.statusCode()).isEqualTo(401);
			assertThat(direct.headers().firstValue("WWW-Authenticate")).get()
				.asString()
				.contains("invalid_token", "presented none");
		}
	}

	@Test
	void authzServesItsRotatedCertificateWithoutARestart() throws Exception {
		Path own = this.work.resolve("authz");
		X509Certificate first = Pem.readCertificates(Files.readString(own.resolve("cert.pem"))).get(0);
		RunningProcess.await("the authorization server serving a newer certificate than " + first.getSerialNumber(),
				Duration.ofSeconds(60), () -> {
					try {
						X509Certificate onDisk = Pem.readCertificates(Files.readString(own.resolve("cert.pem"))).get(0);
						return !onDisk.equals(first) && served().equals(onDisk);
					}
					catch (IOException | RuntimeException ex) {
						return false;
					}
				});
		assertThat(token(client(this.work.resolve("other"))).get("access_token").asString()).isNotEmpty();
	}

	private X509Certificate served() throws IOException {
		URI uri = URI.create(this.authz);
		try (SSLSocket socket = (SSLSocket) trustOnly(this.work.resolve("client")).getSocketFactory()
			.createSocket(uri.getHost(), uri.getPort())) {
			socket.startHandshake();
			return (X509Certificate) socket.getSession().getPeerCertificates()[0];
		}
	}

	@Test
	void evictingAnAgentEndsTokensForItsWorkloads() throws Exception {
		this.ca.createEntry(id("ns/evicted"), "host-evicted", List.of(), "PT10M");
		startAgent("host-evicted", List.of("evicted"));
		HttpClient http = client(this.work.resolve("evicted"));
		String token = token(http).get("access_token").asString();
		HttpClient introspector = client(this.work.resolve("other"));
		assertThat(introspect(introspector, token).get("active").asBoolean()).isTrue();

		this.ca.post("/v1/agents/host-evicted/evict", Map.of());
		assertShutOut(http, introspector, token);
	}

	@Test
	void theManagementPortCountsTokensByClientAndIntrospectionsByResult() throws Exception {
		HttpClient http = client(this.work.resolve("other"));
		String issued = "tether_authz_tokens_issued_total{client=\"" + id("ns/other") + "\"}";
		String active = "tether_authz_introspections_total{result=\"active\"}";
		String inactive = "tether_authz_introspections_total{result=\"inactive\"}";
		Map<String, Double> before = authzMetrics();

		String token = token(http).get("access_token").asString();
		token(http);
		assertThat(introspect(http, token).get("active").asBoolean()).isTrue();
		assertThat(introspect(http, "not-a-token").get("active").asBoolean()).isFalse();

		Map<String, Double> after = authzMetrics();
		assertThat(after.get(issued) - before.getOrDefault(issued, 0.0)).as(issued).isEqualTo(2.0);
		assertThat(after.get(active) - before.getOrDefault(active, 0.0)).as(active).isEqualTo(1.0);
		assertThat(after.get(inactive) - before.getOrDefault(inactive, 0.0)).as(inactive).isEqualTo(1.0);
	}

	@Test
	void metadataAnnouncesCertificateBoundTokensAndMtlsAliases() throws Exception {
		HttpResponse<String> response = anonymous().send(
				HttpRequest.newBuilder(URI.create(this.authz + "/.well-known/oauth-authorization-server")).build(),
				HttpResponse.BodyHandlers.ofString());
		JsonNode metadata = TetherServer.JSON.readTree(response.body());
		assertThat(metadata.get("tls_client_certificate_bound_access_tokens").asBoolean()).isTrue();
		assertThat(metadata.get("mtls_endpoint_aliases").get("token_endpoint").asString())
			.isEqualTo(this.authz + "/oauth2/token");
		assertThat(metadata.get("issuer").asString()).isEqualTo(this.authz);
		String jwks = anonymous()
			.send(HttpRequest.newBuilder(URI.create(metadata.get("jwks_uri").asString())).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
		JsonNode key = TetherServer.JSON.readTree(jwks).get("keys").get(0);
		assertThat(key.get("kty").asString()).isEqualTo("EC");
		assertThat(key.has("d")).as("the private part is never published").isFalse();
	}

	private JsonNode token(HttpClient http) throws Exception {
		HttpResponse<String> response = tokenResponse(http);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return TetherServer.JSON.readTree(response.body());
	}

	/**
	 * Once the status cache has expired, the token introspects inactive and the
	 * workload's certificate gets no new one.
	 */
	private void assertShutOut(HttpClient http, HttpClient introspector, String token) throws Exception {
		RunningProcess.await("the status cache to expire", Duration.ofSeconds(10),
				() -> !introspect(introspector, token).get("active").asBoolean());
		HttpResponse<String> refused = tokenResponse(http);
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.body()).contains("invalid_client");
	}

	private HttpResponse<String> tokenResponse(HttpClient http) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(this.authz + "/oauth2/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=orders.read"))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The authorization server's Prometheus samples, by series (name and labels). */
	private Map<String, Double> authzMetrics() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + this.authzManagementPort + "/actuator/prometheus"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		Map<String, Double> samples = new HashMap<>();
		response.body()
			.lines()
			.filter((line) -> !line.startsWith("#") && line.contains(" "))
			.forEach((line) -> samples.put(line.substring(0, line.lastIndexOf(' ')),
					Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))));
		return samples;
	}

	private JsonNode introspect(HttpClient http, String token) {
		try {
			HttpResponse<String> response = http
				.send(HttpRequest.newBuilder(URI.create(this.authz + "/oauth2/introspect"))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString("token=" + token))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			return TetherServer.JSON.readTree(response.body());
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	private HttpResponse<String> call(HttpClient http, String token) throws Exception {
		return http.send(
				HttpRequest.newBuilder(this.resources.uri()).header("Authorization", "Bearer " + token).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode claims(String token) {
		return TetherServer.JSON
			.readTree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
	}

	/**
	 * The same token with the thumbprint in cnf swapped for another: the signature no
	 * longer matches.
	 */
	private String alterCnf(String token) throws IOException {
		String[] parts = token.split("\\.");
		String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
		String x5t = claims(token).get("cnf").get("x5t#S256").asString();
		String other = Pem.readCertificates(Files.readString(this.work.resolve("other/cert.pem")))
			.get(0)
			.getSerialNumber()
			.toString(16);
		String altered = payload.replace(x5t, (other + x5t).substring(0, x5t.length()));
		return parts[0] + "."
				+ Base64.getUrlEncoder().withoutPadding().encodeToString(altered.getBytes(StandardCharsets.UTF_8)) + "."
				+ parts[2];
	}

	private HttpClient client(Path credentials) throws IOException {
		return HttpClient.newBuilder().sslContext(context(credentials)).build();
	}

	private HttpClient anonymous() throws IOException {
		return HttpClient.newBuilder().sslContext(trustOnly(this.work.resolve("client"))).build();
	}

	private static SSLContext context(Path credentials) throws IOException {
		return TlsContexts.mutual(Pem.readPrivateKey(Files.readString(credentials.resolve("key.pem"))),
				Pem.readCertificates(Files.readString(credentials.resolve("cert.pem"))),
				Pem.readCertificates(Files.readString(credentials.resolve("bundle.pem"))));
	}

	private static SSLContext trustOnly(Path credentials) throws IOException {
		return TlsContexts.trusting(Pem.readCertificates(Files.readString(credentials.resolve("bundle.pem"))));
	}

	private static String id(String path) {
		return "spiffe://" + TD + "/" + path;
	}

}
