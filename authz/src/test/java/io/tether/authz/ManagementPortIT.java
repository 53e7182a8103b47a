package io.tether.authz;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tether.pki.AtomicFiles;
import io.tether.pki.Pem;
import io.tether.pki.testing.TestPki;
import io.tether.workload.TetherSsl;
import io.tether.workload.X509Credentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The authorization server's health and metrics: on their own plain-HTTP port on
 * loopback, without authentication, and not on the public HTTPS port; a refused token
 * request is counted with its OAuth error code; each scheduled job's last success is
 * there once it ran.
 */
class ManagementPortIT {

	@TempDir
	Path dir;

	private final TestPki root = TestPki.root();

	private final TestPki intermediate = this.root.intermediate();

	private final HttpClient plain = HttpClient.newHttpClient();

	@Test
	void healthAndMetricsAreOnTheManagementPortOnly() throws Exception {
		TestPki.Issued own = this.intermediate.leaf("spiffe://td/ns/authz", "localhost");
		write("key.pem", Pem.write(own.keys().getPrivate()), AtomicFiles.OWNER_ONLY);
		write("cert.pem", Pem.write(own.chain()), AtomicFiles.PUBLIC_READ);
		write("bundle.pem", Pem.write(
				List.of(this.root.rootCredential().certificate(), this.intermediate.issuerCredential().certificate())),
				AtomicFiles.PUBLIC_READ);
		try (ConfigurableApplicationContext authz = new SpringApplicationBuilder(TetherAuthzApplication.class).run(
				"--server.port=0", "--management.server.port=0", "--tether.authz.issuer=https://localhost",
				"--tether.authz.data-dir=" + this.dir.resolve("data"), "--tether.authz.ca-url=https://127.0.0.1:1",
				"--tether.authz.credentials.certificate=" + this.dir.resolve("cert.pem"),
				"--tether.authz.credentials.key=" + this.dir.resolve("key.pem"),
				"--tether.authz.credentials.bundle=" + this.dir.resolve("bundle.pem"),
				// the jobs run within a second, not after 10 s and a minute
				"--tether.authz.key-reload=PT1S", "--tether.authz.token-purge-interval=PT1S")) {
			int port = Integer.parseInt(authz.getEnvironment().getProperty("local.server.port"));
			int management = Integer.parseInt(authz.getEnvironment().getProperty("local.management.port"));
			String base = "http://127.0.0.1:" + management;
			for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
				HttpResponse<String> health = get(this.plain, URI.create(base + path));
				assertThat(health.statusCode()).as(path + ": " + health.body()).isEqualTo(200);
				assertThat(health.body()).contains("\"UP\"");
			}

			TestPki.Issued stranger = this.intermediate.leaf("spiffe://td/ns/stranger");
			try (HttpClient client = HttpClient.newBuilder()
				.sslContext(TetherSsl.context(() -> new X509Credentials(stranger.keys().getPrivate(),
						List.of(stranger.certificate()), List.of(this.root.rootCredential().certificate()))))
				.connectTimeout(Duration.ofSeconds(5))
				.build()) {
				HttpResponse<String> refused = client
					.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/oauth2/token"))
						.header("Content-Type", "application/x-www-form-urlencoded")
						.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
						.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
				assertThat(refused.body()).contains("invalid_client");
				HttpResponse<String> publicHealth = client.send(
						HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/actuator/health")).build(),
						HttpResponse.BodyHandlers.ofString());
				assertThat(publicHealth.statusCode()).as("no actuator on the public port").isIn(401, 404);
				assertThat(publicHealth.body()).doesNotContain("UP");
			}

			HttpResponse<String> metrics = get(this.plain, URI.create(base + "/actuator/prometheus"));
			assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
			assertThat(metrics.body()).contains("jvm_memory_used_bytes")
				.contains("tether_authz_tokens_refused_total{reason=\"invalid_client\"} 1.0");
			for (String job : List.of("authz-signing-key-rotation", "authz-signing-key-reload", "authz-token-purge")) {
				assertThat(lastSuccess(base, job)).as(job)
					.isBetween(Instant.now().minusSeconds(60).getEpochSecond(), Instant.now().getEpochSecond());
			}

			for (InetAddress address : NetworkInterface.networkInterfaces()
				.flatMap(NetworkInterface::inetAddresses)
				.filter((address) -> address instanceof Inet4Address && !address.isLoopbackAddress())
				.toList()) {
				assertThatExceptionOfType(ConnectException.class).as(address.toString())
					.isThrownBy(() -> connect(address, management));
			}
		}
	}

	/**
	 * The job's {@code tether_job_last_success_seconds} once it has run (within 30 s).
	 */
	private long lastSuccess(String base, String job) throws IOException, InterruptedException {
		Pattern gauge = Pattern.compile(
				"^tether_job_last_success_seconds\\{job=\"" + Pattern.quote(job) + "\",replica=\"[^\"]+\"} (\\S+)$",
				Pattern.MULTILINE);
		Instant deadline = Instant.now().plusSeconds(30);
		while (true) {
			String body = get(this.plain, URI.create(base + "/actuator/prometheus")).body();
			Matcher matcher = gauge.matcher(body);
			if (matcher.find()) {
				return (long) Double.parseDouble(matcher.group(1));
			}
			assertThat(Instant.now()).as(job + " has no last success gauge:\n" + body).isBefore(deadline);
			Thread.sleep(200);
		}
	}

	private static HttpResponse<String> get(HttpClient client, URI uri) throws IOException, InterruptedException {
		return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static void connect(InetAddress address, int port) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(address, port), 2000);
		}
	}

	private void write(String name, String pem, Set<PosixFilePermission> mode) throws IOException {
		AtomicFiles.write(this.dir.resolve(name), pem.getBytes(StandardCharsets.US_ASCII), mode);
	}

}
