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
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.SpiffeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Prometheus (Debian's package) scraping the server's management port on 127.0.0.1
 * with the shipped alert rules loaded: it sees what the server issued, and
 * {@code promtool} accepts the rules.
 */
class PrometheusIT {

	private static final String TD = "prometheus.example";

	@TempDir
	Path dir;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void prometheusScrapesTheManagementPortWithTheAlertRulesLoaded() throws Exception {
		Path rules = Path.of(System.getProperty("tether.repository")).resolve("deploy/prometheus/tether-alerts.yml");
		RunningProcess check = RunningProcess.start(List.of(binary("promtool"), "check", "rules", rules.toString()),
				this.dir.resolve("promtool.log"));
		assertThat(check.awaitExit(Duration.ofSeconds(60))).as(check.log()).isZero();

		try (TetherServer server = new TetherServer(this.dir.resolve("ca"), RunningProcess.freePort(), TD,
				List.of("--tether.metrics.refresh-interval=PT1S"))
			.start()) {
			Instant start = Instant.now();
			X509Certificate soonest = issue(server, "PT10M");
			issue(server, "PT2H");

			int port = RunningProcess.freePort();
			Path config = this.dir.resolve("prometheus.yml");
			Files.writeString(config, """
					global:
					  scrape_interval: 1s
					  evaluation_interval: 1s
					rule_files:
					  - %s
					scrape_configs:
					  - job_name: tether
					    metrics_path: /actuator/prometheus
					    static_configs:
					      - targets: ['127.0.0.1:%d']
					""".formatted(rules, server.managementPort()));
			try (RunningProcess prometheus = RunningProcess
				.start(List.of(binary("prometheus"), "--config.file=" + config,
						"--storage.tsdb.path=" + this.dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port),
						this.dir.resolve("prometheus.log"))) {
				String api = "http://127.0.0.1:" + port + "/api/v1/";
				RunningProcess.await("Prometheus ready", Duration.ofSeconds(60), () -> {
					assertThat(prometheus.isAlive()).as(prometheus.log()).isTrue();
					return tryGet(api + "status/buildinfo").isPresent();
				});
				RunningProcess.await("2 admin certificates in Prometheus", Duration.ofSeconds(60),
						() -> query(api, "tether_certificates_issued_total{purpose=\"admin\"}").orElse(-1.0) == 2.0);
				RunningProcess.await("the soonest expiry in Prometheus", Duration.ofSeconds(60),
						() -> query(api, "tether_certificate_soonest_expiry_seconds").isPresent());
				double expiry = query(api, "tether_certificate_soonest_expiry_seconds").orElseThrow();
				long notAfter = soonest.getNotAfter().toInstant().getEpochSecond();
				assertThat(expiry).isBetween((double) notAfter - Instant.now().getEpochSecond() - 1,
						(double) notAfter - start.getEpochSecond() + 1);

				JsonNode groups = get(api + "rules").get("data").get("groups");
				assertThat(groups).hasSize(5);
				for (JsonNode group : groups) {
					for (JsonNode rule : group.get("rules")) {
						assertThat(rule.get("health").asString()).as(rule.get("name").asString()).isNotEqualTo("err");
					}
				}
			}
		}
	}

	private static X509Certificate issue(TetherServer server, String ttl) {
		String spiffeId = "spiffe://" + TD + "/ns/web";
		String csr = Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse(spiffeId), List.of()).toPem();
		JsonNode issued = server.post("/v1/certificates", Map.of("csr", csr, "spiffeId", spiffeId, "ttl", ttl));
		return Pem.readCertificates(issued.get("certificateChain").asString()).get(0);
	}

	/** The query's single value, once Prometheus answers and has one. */
	private Optional<Double> query(String api, String query) {
		return tryGet(api + "query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))
			.map((answer) -> answer.get("data").get("result"))
			.filter((result) -> result.size() == 1)
			.map((result) -> Double.parseDouble(result.get(0).get("value").get(1).asString()));
	}

	private JsonNode get(String uri) {
		return tryGet(uri).orElseThrow(() -> new AssertionError("Prometheus did not answer " + uri));
	}

	private Optional<JsonNode> tryGet(String uri) {
		try {
			HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(uri)).build(),
					HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200) ? Optional.of(TetherServer.JSON.readTree(response.body()))
					: Optional.empty();
		}
		catch (IOException ex) {
			// not listening yet
			return Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String binary(String name) {
		for (String dir : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin")) {
			if (Files.isExecutable(Path.of(dir, name))) {
				return dir + "/" + name;
			}
		}
		throw new AssertionError(name + " is not installed: apt-get install prometheus (.ci/run does)");
	}

}
