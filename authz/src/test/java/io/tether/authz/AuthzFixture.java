package io.tether.authz;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.tether.pki.AtomicFiles;
import io.tether.pki.Pem;
import io.tether.pki.TlsContexts;
import io.tether.pki.testing.TestPki;
import io.tether.workload.TetherSsl;
import io.tether.workload.X509Credentials;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authorization server instances for integration tests, with what they need around them:
 * their own Tether identity in agent-written files, workload clients, and a stand-in for
 * the CA's certificate status endpoint (HTTPS, answering "valid" for every certificate
 * unless told otherwise).
 */
final class AuthzFixture implements AutoCloseable {

	static final String CLIENT = "spiffe://td/ns/web";

	static final String INTROSPECTOR = "spiffe://td/ns/orders";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Path dir;

	private final TestPki root = TestPki.root();

	private final TestPki intermediate = this.root.intermediate();

	private final HttpsServer ca;

	private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

	private final List<ConfigurableApplicationContext> running = new ArrayList<>();

	AuthzFixture(Path dir) throws IOException {
		this.dir = dir;
		TestPki.Issued own = this.intermediate.leaf("spiffe://td/ns/authz", "localhost");
		write("key.pem", Pem.write(own.keys().getPrivate()), true);
		write("cert.pem", Pem.write(own.chain()), false);
		write("bundle.pem", Pem.write(List.of(root(), this.intermediate.issuerCredential().certificate())), false);
		TestPki.Issued caTls = this.intermediate.leaf("spiffe://td/tether/server", "localhost");
		this.ca = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.ca.setHttpsConfigurator(
				new HttpsConfigurator(TlsContexts.mutual(caTls.keys().getPrivate(), caTls.chain(), List.of(root()))));
		this.ca.createContext("/v1/certificates/status", (exchange) -> {
			String x5t = exchange.getRequestURI().getQuery().replace("x5tS256=", "");
			byte[] body = ("{\"x5tS256\":\"" + x5t + "\",\"known\":true,\"status\":\"valid\"}")
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.ca.start();
	}

	/**
	 * Starts an instance on the given database.
	 * @param clock the instance's clock, or {@code null} for the system's
	 * @param settings more {@code --name=value} arguments
	 */
	ConfigurableApplicationContext start(Clock clock, String... settings) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
				"--tether.authz.issuer=https://authz.test", "--tether.authz.ca-url=https://localhost:" + caPort(),
				"--tether.authz.credentials.certificate=" + this.dir.resolve("cert.pem"),
				"--tether.authz.credentials.key=" + this.dir.resolve("key.pem"),
				"--tether.authz.credentials.bundle=" + this.dir.resolve("bundle.pem"),
				"--tether.authz.clients[0].spiffe-id-prefix=spiffe://td/ns/",
				"--tether.authz.clients[0].scopes[0]=orders.read", "--tether.authz.clients[0].audiences[0]=orders"));
		args.addAll(List.of(settings));
		SpringApplicationBuilder builder = new SpringApplicationBuilder(TetherAuthzApplication.class);
		if (clock != null) {
			builder.initializers((context) -> context.getBeanFactory().registerSingleton("clock", clock));
		}
		ConfigurableApplicationContext context = builder.run(args.toArray(String[]::new));
		this.running.add(context);
		return context;
	}

	private int caPort() {
		return this.ca.getAddress().getPort();
	}

	static URI uri(ConfigurableApplicationContext authz, String path) {
		return URI.create("https://localhost:" + authz.getEnvironment().getProperty("local.server.port") + path);
	}

	/** An access token for {@link #CLIENT}, from the given instance. */
	String token(ConfigurableApplicationContext authz) throws Exception {
		HttpResponse<String> response = post(authz, "/oauth2/token", CLIENT,
				"grant_type=client_credentials&scope=orders.read");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body()).get("access_token").asString();
	}

	/**
	 * RFC 7662 introspection of a token by {@link #INTROSPECTOR}, at the given instance.
	 */
	JsonNode introspect(ConfigurableApplicationContext authz, String token) throws Exception {
		HttpResponse<String> response = post(authz, "/oauth2/introspect", INTROSPECTOR, "token=" + encode(token));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	/** RFC 7009 revocation of a token by its own client, at the given instance. */
	void revoke(ConfigurableApplicationContext authz, String token) throws Exception {
		HttpResponse<String> response = post(authz, "/oauth2/revoke", CLIENT, "token=" + encode(token));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

	/** The instance's JWKS. */
	JWKSet jwks(ConfigurableApplicationContext authz) throws Exception {
		HttpResponse<String> response = client(INTROSPECTOR)
			.send(HttpRequest.newBuilder(uri(authz, "/oauth2/jwks")).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JWKSet.parse(response.body());
	}

	/** Whether the token's signature verifies with a key of the instance's JWKS. */
	boolean verifies(ConfigurableApplicationContext authz, String token) throws Exception {
		SignedJWT jwt = SignedJWT.parse(token);
		JWK key = jwks(authz).getKeyByKeyId(jwt.getHeader().getKeyID());
		if (key == null) {
			return false;
		}
		try {
			return jwt.verify(new ECDSAVerifier((ECKey) key));
		}
		catch (JOSEException ex) {
			return false;
		}
	}

	private HttpResponse<String> post(ConfigurableApplicationContext authz, String path, String client, String form)
			throws Exception {
		return client(client).send(HttpRequest.newBuilder(uri(authz, path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpClient client(String spiffeId) {
		return this.clients.computeIfAbsent(spiffeId, (id) -> {
			TestPki.Issued leaf = this.intermediate.leaf(id);
			X509Credentials credentials = new X509Credentials(leaf.keys().getPrivate(), leaf.chain(), List.of(root()));
			return HttpClient.newBuilder()
				.sslContext(TetherSsl.context(() -> credentials))
				.connectTimeout(Duration.ofSeconds(5))
				.build();
		});
	}

	/** What a browser or a public client trusts: the Tether root. */
	List<X509Certificate> trustAnchors() {
		return List.of(root());
	}

	private X509Certificate root() {
		return this.root.rootCredential().certificate();
	}

	private void write(String name, String pem, boolean secret) throws IOException {
		AtomicFiles.write(this.dir.resolve(name), pem.getBytes(StandardCharsets.US_ASCII),
				secret ? AtomicFiles.OWNER_ONLY : AtomicFiles.PUBLIC_READ);
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		this.running.forEach(ConfigurableApplicationContext::close);
		this.clients.values().forEach(HttpClient::close);
		this.ca.stop(0);
	}

}
