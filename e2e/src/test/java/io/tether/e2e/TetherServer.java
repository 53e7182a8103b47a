package io.tether.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.tether.pki.Pem;
import io.tether.pki.Pkcs12;
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

	private RunningProcess process;

	private HttpClient admin;

	TetherServer(Path dataDir, int port) {
		this.dataDir = dataDir;
		this.port = port;
	}

	TetherServer start() {
		List<String> command = new ArrayList<>(
				List.of(System.getProperty("tether.java"), "-Xmx256m", "-jar", System.getProperty("tether.server.jar"),
						"--server.port=" + this.port, "--tether.data-dir=" + this.dataDir,
						"--tether.trust-domain=" + TRUST_DOMAIN, "--tether.issuance.min-ttl=PT30S"));
		this.process = RunningProcess.start(command, this.dataDir.resolveSibling(this.dataDir.getFileName() + ".log"));
		this.process.awaitLog("Tether CA is running", Duration.ofSeconds(120));
		return this;
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
		try {
			HttpResponse<String> response = adminClient().send(request, HttpResponse.BodyHandlers.ofString());
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

	private HttpClient adminClient() {
		if (this.admin == null) {
			try {
				Path dir = this.dataDir.resolve("admin");
				char[] password = "e2e".toCharArray();
				KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
				keys.init(
						Pkcs12.keyStore(Pem.readPrivateKey(Files.readString(dir.resolve("admin-key.pem"))),
								Pem.readCertificates(Files.readString(dir.resolve("admin-cert.pem"))), password),
						password);
				TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
				trust.init(Pkcs12.trustStore(Pem.readCertificates(Files.readString(dir.resolve("ca-bundle.pem")))));
				SSLContext context = SSLContext.getInstance("TLS");
				context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
				this.admin = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return this.admin;
	}

	@Override
	public void close() {
		if (this.process != null) {
			this.process.close();
		}
	}

}
