package io.tether.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Keycloak: the server distribution Maven unpacked into {@code target/}
 * ({@code tether.keycloak.home}), started by {@code bin/kc.sh start} in production mode
 * with HTTPS only, on 127.0.0.1, an in-memory database and local caches, and its admin
 * REST API.
 */
final class Keycloak implements AutoCloseable {

	private static final String LISTENING = "Listening on: https://";

	private final int port;

	private final String adminPassword = UUID.randomUUID().toString();

	private final SSLContext trust;

	private RunningProcess process;

	private Duration startTime;

	/**
	 * @param port its HTTPS port on 127.0.0.1
	 * @param trust for calling it: trusts the issuer of its TLS certificate
	 */
	Keycloak(int port, SSLContext trust) {
		this.port = port;
		this.trust = trust;
	}

	/**
	 * Starts it with a Tether certificate for {@code localhost} and the Tether roots and
	 * intermediates as the trust for client certificates and for its own outgoing HTTPS.
	 * <p>
	 * {@code --db}, {@code --features} and {@code --https-client-auth} are build options:
	 * {@code kc.sh start} re-augments the distribution (some 20-30 s) when they differ
	 * from its last build, so only the first run in a fresh {@code target/} pays for it.
	 */
	Keycloak start(Path certificate, Path key, Path trustedCertificates, Path log) {
		Path home = Path.of(System.getProperty("tether.keycloak.home"));
		assertThat(home.resolve("bin/kc.sh")).as("the Keycloak distribution unpacked by Maven").exists();
		List<String> command = List.of("sh", home.resolve("bin/kc.sh").toString(), "start", "--db=dev-mem",
				"--features=spiffe,client-auth-federated", "--https-client-auth=request", "--cache=local",
				"--http-enabled=false", "--http-host=127.0.0.1", "--https-port=" + this.port, "--hostname=" + url(),
				"--https-certificate-file=" + certificate, "--https-certificate-key-file=" + key,
				"--https-trust-store-file=" + trustedCertificates, "--truststore-paths=" + trustedCertificates);
		Instant started = Instant.now();
		this.process = RunningProcess.start(command,
				Map.of("JAVA", System.getProperty("tether.java"), "JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m",
						"KC_BOOTSTRAP_ADMIN_USERNAME", "admin", "KC_BOOTSTRAP_ADMIN_PASSWORD", this.adminPassword),
				log);
		this.process.awaitLog(LISTENING, Duration.ofSeconds(240));
		this.startTime = Duration.between(started, Instant.now());
		return this;
	}

	String url() {
		return "https://localhost:" + this.port;
	}

	/** From {@code kc.sh start} to listening, re-augmentation included. */
	Duration startTime() {
		return this.startTime;
	}

	/**
	 * The resident and peak resident memory of Keycloak's JVM, as the kernel counts them
	 * ({@code VmRSS}, {@code VmHWM} in {@code /proc/<pid>/status}).
	 */
	String memory() {
		// kc.sh runs the JVM as its child, or execs it after a re-augmentation
		Optional<ProcessHandle> jvm = ProcessHandle.of(this.process.pid())
			.flatMap((script) -> script.descendants().findFirst().or(() -> Optional.of(script)));
		if (jvm.isEmpty()) {
			return "unknown (the process is gone)";
		}
		try {
			return Files.readAllLines(Path.of("/proc", String.valueOf(jvm.get().pid()), "status"))
				.stream()
				.filter((line) -> line.startsWith("VmRSS") || line.startsWith("VmHWM"))
				.map((line) -> line.replaceAll("\\s+", " "))
				.collect(Collectors.joining(", "));
		}
		catch (IOException ex) {
			return "unknown (" + ex.getMessage() + ")";
		}
	}

	/**
	 * Creates a realm from its JSON representation (clients and identity providers
	 * included) with the admin REST API.
	 */
	void createRealm(String representation) {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url() + "/admin/realms"))
			.header("Authorization", "Bearer " + adminToken())
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(representation))
			.build());
		assertThat(response.statusCode()).as("create realm: " + response.body()).isEqualTo(201);
	}

	/**
	 * A {@code client_credentials} token request to a realm's token endpoint.
	 * @param http the connection's client (and its client certificate, if any)
	 * @param form the other form parameters, URL-encoded here
	 */
	static HttpResponse<String> tokenRequest(HttpClient http, String realmUrl, Map<String, String> form) {
		String body = form.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&", "grant_type=client_credentials&", ""));
		return send(http,
				HttpRequest.newBuilder(URI.create(realmUrl + "/protocol/openid-connect/token"))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build());
	}

	private String adminToken() {
		HttpResponse<String> response = send(HttpRequest
			.newBuilder(URI.create(url() + "/realms/master/protocol/openid-connect/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username=admin&password="
					+ URLEncoder.encode(this.adminPassword, StandardCharsets.UTF_8)))
			.build());
		assertThat(response.statusCode()).as("admin token: " + response.body()).isEqualTo(200);
		JsonNode token = TetherServer.JSON.readTree(response.body());
		return token.get("access_token").asString();
	}

	private HttpResponse<String> send(HttpRequest request) {
		try (HttpClient http = HttpClient.newBuilder().sslContext(this.trust).build()) {
			return send(http, request);
		}
	}

	private static HttpResponse<String> send(HttpClient http, HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted");
		}
	}

	/**
	 * Stops kc.sh, which passes SIGTERM on to the JVM; a JVM still there after the grace
	 * period is killed.
	 */
	@Override
	public void close() {
		if (this.process == null) {
			return;
		}
		List<ProcessHandle> children = ProcessHandle.of(this.process.pid())
			.map((script) -> script.descendants().toList())
			.orElse(List.of());
		this.process.close();
		for (ProcessHandle child : children) {
			child.onExit().completeOnTimeout(child, 15, TimeUnit.SECONDS).join();
			if (child.isAlive()) {
				child.destroyForcibly();
			}
		}
	}

}
