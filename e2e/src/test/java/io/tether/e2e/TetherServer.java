package io.tether.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import io.tether.pki.Pem;
import io.tether.pki.TlsContexts;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CA server as a process of its own (the built jar, embedded H2), and its admin API.
 */
final class TetherServer implements AutoCloseable {

	static final String TRUST_DOMAIN = "e2e.test";

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final Path dataDir;

	private final int port;

	/** The plain-HTTP port for CRLs and OCSP. */
	private final int revocationPort;

	/** The plain-HTTP port of health and metrics, on 127.0.0.1. */
	private final int managementPort;

	private RunningProcess process;

	private HttpClient admin;

	/** The admin files {@link #admin} was made from. */
	private String adminFiles;

	private static final String RUNNING = "Tether CA is running";

	private final String trustDomain;

	private final List<String> settings = new ArrayList<>();

	TetherServer(Path dataDir, int port) {
		this(dataDir, port, TRUST_DOMAIN);
	}

	TetherServer(Path dataDir, int port, String trustDomain) {
		this(dataDir, port, trustDomain, List.of());
	}

	/**
	 * @param settings more command-line settings
	 * ({@code --tether.ca.intermediate-ttl=PT3M})
	 */
	TetherServer(Path dataDir, int port, String trustDomain, List<String> settings) {
		this.dataDir = dataDir;
		this.port = port;
		this.revocationPort = RunningProcess.freePort();
		this.managementPort = RunningProcess.freePort();
		this.trustDomain = trustDomain;
		this.settings.addAll(settings);
	}

	/**
	 * Adds server settings ({@code --tether.agent.ttl=PT20S}) to every start.
	 */
	TetherServer with(String... settings) {
		this.settings.addAll(List.of(settings));
		return this;
	}

	/**
	 * The plain-HTTP base URL of the CRLs ({@code /crl/<key id>.crl}) and the OCSP
	 * responder ({@code /ocsp}).
	 */
	String revocationUrl() {
		return "http://127.0.0.1:" + this.revocationPort;
	}

	/**
	 * The plain-HTTP base URL of health ({@code /actuator/health}) and metrics
	 * ({@code /actuator/prometheus}).
	 */
	String managementUrl() {
		return "http://127.0.0.1:" + this.managementPort;
	}

	int managementPort() {
		return this.managementPort;
	}

	TetherServer start() {
		List<String> command = new ArrayList<>(
				List.of(System.getProperty("tether.java"), "-Xmx256m", "-jar", System.getProperty("tether.server.jar"),
						"--server.port=" + this.port, "--tether.revocation.http-port=" + this.revocationPort,
						"--management.server.port=" + this.managementPort, "--tether.data-dir=" + this.dataDir,
						"--tether.trust-domain=" + this.trustDomain));
		if (this.settings.stream().noneMatch((setting) -> setting.startsWith("--tether.issuance.min-ttl="))) {
			// a key given twice on the command line binds as a list: only when not set
			command.add("--tether.issuance.min-ttl=PT30S");
		}
		command.addAll(this.settings);
		Path log = this.dataDir.resolveSibling(this.dataDir.getFileName() + ".log");
		// a restart appends to the same log: wait for one more start than before
		long startedBefore = countInLog(log, RUNNING);
		RunningProcess started = RunningProcess.start(command, log);
		this.process = started;
		RunningProcess.await("'" + RUNNING + "' in " + log, Duration.ofSeconds(120), () -> {
			if (!started.isAlive()) {
				throw new AssertionError("the server exited before it was running:\n" + started.log());
			}
			return started.count(RUNNING) > startedBefore;
		});
		this.admin = null;
		return this;
	}

	/**
	 * SIGKILL, as a crash would: nothing is shut down cleanly.
	 */
	void kill() {
		this.process.kill();
	}

	String log() {
		return this.process.log();
	}

	void stop() {
		this.process.close();
	}

	int port() {
		return this.port;
	}

	String url() {
		return "https://localhost:" + this.port;
	}

	Path adminDir() {
		return this.dataDir.resolve("admin");
	}

	/**
	 * Enrolls an agent as {@code tether-agent} would, over TLS that trusts the bundle.
	 */
	JsonNode enroll(String token, String csrPem) {
		HttpClient client = HttpClient.newBuilder()
			.sslContext(TlsContexts.trusting(Pem.readCertificates(read(bundleFile()))))
			.build();
		return send(client,
				HttpRequest.newBuilder(URI.create(url() + "/v1/agents/enroll"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers
						.ofString(JSON.writeValueAsString(Map.of("joinToken", token, "csr", csrPem))))
					.build());
	}

	/**
	 * Obtains a workload certificate for an entry as the enrolled agent would, over mTLS
	 * with the agent's certificate.
	 */
	JsonNode issueForEntry(PrivateKey agentKey, List<X509Certificate> agentChain, String entryId, String csrPem) {
		HttpClient client = HttpClient.newBuilder()
			.sslContext(TlsContexts.mutual(agentKey, agentChain, Pem.readCertificates(read(bundleFile()))))
			.build();
		return send(client,
				HttpRequest.newBuilder(URI.create(url() + "/v1/agents/self/certificates"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers
						.ofString(JSON.writeValueAsString(Map.of("entryId", entryId, "csr", csrPem))))
					.build());
	}

	Path bundleFile() {
		return this.dataDir.resolve("admin/ca-bundle.pem");
	}

	String createToken(String agent) {
		return post("/v1/join-tokens", Map.of("agent", agent, "ttl", "PT15M")).get("token").asString();
	}

	String createEntry(String spiffeId, String agent, List<String> dnsNames, String ttl) {
		return post("/v1/entries", Map.of("spiffeId", spiffeId, "agent", agent, "dnsNames", dnsNames, "ttl", ttl))
			.get("id")
			.asString();
	}

	/**
	 * The public bundle, as PEM text, asked without a client certificate (the admin's may
	 * have been renewed under the test's feet).
	 */
	String bundle(boolean intermediates) {
		try (HttpClient anonymous = HttpClient.newBuilder()
			.sslContext(TlsContexts.trusting(Pem.readCertificates(read(bundleFile()))))
			.build()) {
			HttpResponse<String> response = anonymous.send(
					HttpRequest.newBuilder(URI.create(url() + "/v1/bundle?intermediates=" + intermediates)).build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new AssertionError("/v1/bundle -> " + response.statusCode() + " " + response.body());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted");
		}
	}

	JsonNode get(String path) {
		return send(HttpRequest.newBuilder(URI.create(url() + path)).GET().build());
	}

	JsonNode post(String path, Map<String, ?> body) {
		return send(HttpRequest.newBuilder(URI.create(url() + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
			.build());
	}

	private JsonNode send(HttpRequest request) {
		return send(adminClient(), request);
	}

	private static JsonNode send(HttpClient client, HttpRequest request) {
		try {
			HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() / 100 != 2) {
				throw new AssertionError(request.uri() + " -> " + response.statusCode() + " " + response.body());
			}
			return JSON.readTree(response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted");
		}
	}

	HttpClient adminClient() {
		Path dir = this.dataDir.resolve("admin");
		// the server renews the admin certificate and rewrites the bundle while it runs
		String files = read(dir.resolve("admin-cert.pem")) + read(dir.resolve("ca-bundle.pem"));
		if (this.admin == null || !files.equals(this.adminFiles)) {
			this.adminFiles = files;
			SSLContext context = TlsContexts.mutual(Pem.readPrivateKey(read(dir.resolve("admin-key.pem"))),
					Pem.readCertificates(read(dir.resolve("admin-cert.pem"))),
					Pem.readCertificates(read(dir.resolve("ca-bundle.pem"))));
			this.admin = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
		}
		return this.admin;
	}

	private static long countInLog(Path log, String text) {
		return Files.exists(log) ? read(log).lines().filter((line) -> line.contains(text)).count() : 0;
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		if (this.process != null) {
			this.process.close();
		}
	}

}
