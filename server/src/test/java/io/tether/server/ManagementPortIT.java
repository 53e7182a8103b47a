package io.tether.server;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.tomcat.TomcatWebServer;

import static io.tether.server.ServerScenarios.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Health and metrics live on their own plain-HTTP port on loopback, and nowhere else: not
 * on the public HTTPS port, not on the plain-HTTP revocation listener. The main server's
 * plain-HTTP filter does not reach the management port, and errors there are problem
 * documents as everywhere.
 */
class ManagementPortIT {

	private final HttpClient plain = HttpClient.newHttpClient();

	@TempDir
	Path dir;

	@Test
	void healthAndMetricsAreOnTheManagementPortOnly() {
		try (RunningServer server = RunningServer.start(this.dir, Map.of("tether.trust-domain", "mgmt.example"))) {
			for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
				HttpResponse<String> health = get(server, path);
				assertThat(health.statusCode()).as(path + ": " + health.body()).isEqualTo(200);
				assertThat(health.body()).contains("\"UP\"");
			}
			HttpResponse<String> metrics = get(server, "/actuator/prometheus");
			assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
			assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("hikaricp_connections");

			for (String path : List.of("/actuator/prometheus", "/actuator/health", "/actuator")) {
				assertProblem(server.get(server.anonymousClient(), path), 404, "not-found");
				assertProblem(server.get(server.adminClient(), path), 404, "not-found");
			}
			String revocation = "http://127.0.0.1:" + revocationPort(server);
			assertProblem(
					RunningServer.send(this.plain,
							HttpRequest.newBuilder(URI.create(revocation + "/actuator/prometheus")).build()),
					404, "not-found");
		}
	}

	@Test
	void theManagementPortServesNothingElseAndAnswersWithProblems() {
		try (RunningServer server = RunningServer.start(this.dir, Map.of("tether.trust-domain", "mgmt.example"))) {
			assertThat(server.managementPort()).isNotIn(server.port(), revocationPort(server));
			for (String path : List.of("/v1/bundle", "/ocsp", "/nothing")) {
				assertProblem(get(server, path), 404, "not-found");
			}
			HttpResponse<String> delete = RunningServer.send(this.plain,
					HttpRequest.newBuilder(server.managementUri("/actuator/prometheus")).DELETE().build());
			assertProblem(delete, 405, "method-not-allowed");
			// Tomcat's own refusal, before Spring sees the request
			RawHttp.Response refused = RawHttp.sendPlain(server.managementPort(),
					"GET /%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
			assertThat(refused.status()).isEqualTo(400);
			assertThat(refused.contentType()).startsWith("application/problem+json");
			assertThat(refused.body()).doesNotContain("Tomcat");
		}
	}

	@Test
	void theManagementPortListensOnLoopbackOnly() throws IOException {
		try (RunningServer server = RunningServer.start(this.dir, Map.of("tether.trust-domain", "mgmt.example"))) {
			List<InetAddress> others = NetworkInterface.networkInterfaces()
				.flatMap(NetworkInterface::inetAddresses)
				.filter((address) -> address instanceof Inet4Address && !address.isLoopbackAddress())
				.toList();
			assumeThat(others).as("a non-loopback IPv4 address to try").isNotEmpty();
			for (InetAddress address : others) {
				assertThatExceptionOfType(ConnectException.class).as(address.toString())
					.isThrownBy(() -> connect(address, server.managementPort()));
				// the public port, for contrast, answers there
				connect(address, server.port());
			}
		}
	}

	private HttpResponse<String> get(RunningServer server, String path) {
		return RunningServer.send(this.plain, HttpRequest.newBuilder(server.managementUri(path)).GET().build());
	}

	private static void connect(InetAddress address, int port) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(address, port), 2000);
		}
	}

	private static int revocationPort(RunningServer server) {
		TomcatWebServer web = (TomcatWebServer) server.webServer();
		for (Connector connector : web.getTomcat().getService().findConnectors()) {
			if (!connector.getSecure() && connector.getLocalPort() > 0) {
				return connector.getLocalPort();
			}
		}
		throw new AssertionError("no plain-HTTP connector");
	}

}
