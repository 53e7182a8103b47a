package io.tether.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.Pkcs12;
import io.tether.pki.SpiffeId;
import io.tether.pki.testing.Commands;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Tether server started in this JVM on a random port, and HTTP clients to talk to it
 * over real TLS: as the admin, anonymously, or with any other certificate.
 */
final class RunningServer implements AutoCloseable {

	private static final char[] PASSWORD = "test".toCharArray();

	private final ConfigurableApplicationContext context;

	private final Path dataDir;

	private RunningServer(ConfigurableApplicationContext context, Path dataDir) {
		this.context = context;
		this.dataDir = dataDir;
	}

	static RunningServer start(Path dataDir, Map<String, Object> properties) {
		Map<String, Object> all = new HashMap<>();
		all.put("tether.data-dir", dataDir.toString());
		all.put("server.port", "0");
		all.put("tether.revocation.http-port", "0");
		all.put("management.server.port", "0");
		all.putAll(properties);
		// as command-line arguments, so that they win over application.yaml
		String[] arguments = all.entrySet()
			.stream()
			.map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TetherServerApplication.class)
			.run(arguments);
		return new RunningServer(context, dataDir);
	}

	int port() {
		return Integer.parseInt(this.context.getEnvironment().getProperty("local.server.port"));
	}

	/** The plain-HTTP port of health and metrics (management.server.port). */
	int managementPort() {
		return Integer.parseInt(this.context.getEnvironment().getProperty("local.management.port"));
	}

	/** A plain-HTTP URI on the management port, at the loopback address it binds to. */
	URI managementUri(String path) {
		return URI.create("http://127.0.0.1:" + managementPort() + path);
	}

	URI uri(String path) {
		return URI.create("https://localhost:" + port() + path);
	}

	Path adminDir() {
		return this.dataDir.resolve("admin");
	}

	List<X509Certificate> bundleFile() {
		return Pem.readCertificates(read(adminDir().resolve("ca-bundle.pem")));
	}

	HttpClient adminClient() {
		PrivateKey key = Pem.readPrivateKey(read(adminDir().resolve("admin-key.pem")));
		List<X509Certificate> chain = Pem.readCertificates(read(adminDir().resolve("admin-cert.pem")));
		return clientWith(key, chain);
	}

	HttpClient anonymousClient() {
		return client((KeyManager[]) null);
	}

	HttpClient clientWith(PrivateKey key, List<X509Certificate> chain) {
		try {
			KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keys.init(Pkcs12.keyStore(key, chain, PASSWORD), PASSWORD);
			return client(keys.getKeyManagers());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A client that presents its certificate even when the server asks for another CA's,
	 * as an attacker's client would.
	 */
	HttpClient clientAlwaysPresenting(PrivateKey key, List<X509Certificate> chain) {
		X509Certificate[] certificates = chain.toArray(X509Certificate[]::new);
		X509ExtendedKeyManager forced = new X509ExtendedKeyManager() {

			@Override
			public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
				return "forced";
			}

			@Override
			public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
				return "forced";
			}

			@Override
			public X509Certificate[] getCertificateChain(String alias) {
				return certificates;
			}

			@Override
			public PrivateKey getPrivateKey(String alias) {
				return key;
			}

			@Override
			public String[] getClientAliases(String keyType, Principal[] issuers) {
				return new String[] { "forced" };
			}

			@Override
			public String[] getServerAliases(String keyType, Principal[] issuers) {
				return null;
			}

			@Override
			public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
				return null;
			}

		};
		return client(new KeyManager[] { forced });
	}

	long certificateRows() {
		return this.context.getBean(JdbcTemplate.class).queryForObject("select count(*) from certificate", Long.class);
	}

	org.springframework.boot.web.server.WebServer webServer() {
		return ((org.springframework.boot.web.server.context.WebServerApplicationContext) this.context).getWebServer();
	}

	<T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	HttpResponse<String> get(HttpClient client, String path) {
		return send(client, HttpRequest.newBuilder(uri(path)).GET().build());
	}

	HttpResponse<String> postJson(HttpClient client, String path, String json) {
		return send(client,
				HttpRequest.newBuilder(uri(path))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(json))
					.build());
	}

	/**
	 * @param intermediates whether the intermediates follow the roots
	 * @return the roots this server publishes at {@code /v1/bundle}
	 */
	List<X509Certificate> bundle(boolean intermediates) {
		return Pem.readCertificates(
				get(anonymousClient(), "/v1/bundle" + (intermediates ? "?intermediates=true" : "")).body());
	}

	/**
	 * Issues a certificate through the admin API on a new key.
	 * @param spiffeId the workload's SPIFFE ID
	 * @return the chain answered: the leaf, then its intermediate
	 */
	List<X509Certificate> issueChain(String spiffeId) {
		String csr = Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse(spiffeId), List.of()).toPem();
		HttpResponse<String> response = postJson(adminClient(), "/v1/certificates",
				ServerScenarios.json.writeValueAsString(Map.of("csr", csr, "spiffeId", spiffeId)));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		List<X509Certificate> chain = Pem
			.readCertificates(ServerScenarios.json.readTree(response.body()).get("certificateChain").asString());
		assertThat(chain).hasSize(2);
		return chain;
	}

	/**
	 * openssl ({@code verify -x509_strict}) verifies the leaf against the roots this
	 * server publishes and the intermediates it lists.
	 * @param work a new directory for the files openssl reads
	 * @param leaf the certificate to verify
	 */
	void opensslVerify(Path work, X509Certificate leaf) {
		try {
			Files.createDirectories(work);
			List<X509Certificate> roots = bundle(false);
			List<X509Certificate> all = bundle(true);
			Files.writeString(work.resolve("bundle.pem"), Pem.write(roots));
			Files.writeString(work.resolve("intermediates.pem"), Pem.write(all.subList(roots.size(), all.size())));
			Files.writeString(work.resolve("leaf.pem"), Pem.write(leaf));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Commands.Result result = Commands.run(work, "openssl", "verify", "-x509_strict", "-CAfile", "bundle.pem",
				"-untrusted", "intermediates.pem", "leaf.pem");
		assertThat(result.exitCode()).as(work.getFileName() + ": " + result.output()).isZero();
	}

	static HttpResponse<String> send(HttpClient client, HttpRequest request) {
		try {
			return client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private HttpClient client(KeyManager[] keyManagers) {
		try {
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(Pkcs12.trustStore(bundleFile()));
			SSLContext ssl = SSLContext.getInstance("TLS");
			ssl.init(keyManagers, trust.getTrustManagers(), null);
			return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.context.close();
	}

}
