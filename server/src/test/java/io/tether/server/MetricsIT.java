package io.tether.server;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.tether.pki.Pem;
import io.tether.server.certificate.Certificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static io.tether.server.ServerScenarios.body;
import static io.tether.server.ServerScenarios.csrPem;
import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * What a Prometheus scraping the management port sees after the server has issued,
 * refused and revoked: counters move by exactly what happened, and the gauges read from
 * the database (refreshed every second here, every 30 s by default) agree with the
 * database and the certificates themselves.
 */
class MetricsIT {

	private static final String TD = "metrics.example";

	private static final Map<String, String> ADMIN = Map.of("purpose", "admin");

	private final HttpClient plain = HttpClient.newHttpClient();

	@TempDir
	Path dir;

	@Test
	void metricsCountWhatWasIssuedRefusedAndRevoked() throws InterruptedException {
		try (RunningServer server = RunningServer.start(this.dir,
				Map.of("tether.trust-domain", TD, "tether.metrics.refresh-interval", "PT1S"))) {
			Scrape before = scrape(server);
			Map<String, String> refusal = Map.of("purpose", "admin", "reason", "trust-domain-mismatch");
			Instant start = Instant.now();

			X509Certificate soonest = issue(server, "PT10M");
			issue(server, "PT2H");
			X509Certificate revoked = issue(server, "PT1H");
			String elsewhere = "spiffe://elsewhere.example/ns/web";
			HttpResponse<String> refused = server.postJson(server.adminClient(), "/v1/certificates",
					body(csrPem(elsewhere), elsewhere, List.of(), "PT1H"));
			assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
			HttpResponse<String> revocation = server.postJson(server.adminClient(),
					"/v1/certificates/" + revoked.getSerialNumber().toString(16) + "/revoke",
					"{\"reason\":\"keyCompromise\"}");
			assertThat(revocation.statusCode()).as(revocation.body()).isEqualTo(200);
			HttpResponse<String> token = server.postJson(server.adminClient(), "/v1/join-tokens",
					"{\"agent\":\"host-1\"}");
			assertThat(token.statusCode()).as(token.body()).isIn(200, 201);

			Scrape after = scrape(server);
			assertThat(after.value("tether_certificates_issued_total", ADMIN))
				.isEqualTo(before.value("tether_certificates_issued_total", ADMIN) + 3);
			assertThat(after.value("tether_certificates_issued_total", Map.of("purpose", "workload")))
				.isEqualTo(before.value("tether_certificates_issued_total", Map.of("purpose", "workload")));
			assertThat(after.value("tether_issuance_refused_total", refusal))
				.isEqualTo(before.value("tether_issuance_refused_total", refusal) + 1);
			assertThat(after.value("tether_issuance_seconds_count", ADMIN))
				.isEqualTo(before.value("tether_issuance_seconds_count", ADMIN) + 3);
			assertThat(after.find("tether_issuance_seconds_bucket", ADMIN)).as("a histogram").hasSizeGreaterThan(10);
			assertThat(after.value("tether_revocations_total", Map.of("reason", "keyCompromise"))).isEqualTo(1);

			Certificates certificates = server.bean(Certificates.class);
			Scrape refreshed = awaitScrape(server,
					(scrape) -> scrape.value("tether_certificates_valid") == certificates.validCount(Instant.now())
							&& scrape.value("tether_join_tokens_outstanding") == 1
							&& scrape.value("tether_crl_entries",
									Map.of("authority_kind", "intermediate", "generation", "1")) == 1
							&& !scrape.find("tether_job_last_success_seconds", Map.of()).isEmpty());
			double soonestExpiry = refreshed.value("tether_certificate_soonest_expiry_seconds");
			long notAfter = soonest.getNotAfter().toInstant().getEpochSecond();
			assertThat(soonestExpiry).isBetween((double) notAfter - Instant.now().getEpochSecond() - 1,
					(double) notAfter - start.getEpochSecond() + 1);
			assertThat(soonestExpiry).isBetween(540.0, 601.0);
			for (String bucket : List.of("lt_5m", "lt_1h", "lt_1d", "older")) {
				assertThat(refreshed.value("tether_agents", Map.of("last_seen", bucket))).as(bucket).isZero();
			}
			for (Scrape.Sample job : refreshed.find("tether_job_last_success_seconds", Map.of())) {
				assertThat(job.value()).as(job.labels().toString())
					.isBetween((double) start.getEpochSecond() - 60, (double) Instant.now().getEpochSecond() + 1);
			}

			for (String kind : List.of("root", "intermediate")) {
				Map<String, String> labels = Map.of("kind", kind, "generation", "1", "status", "active");
				assertThat(refreshed.value("tether_authority_not_after_seconds", labels)).as(kind)
					.isEqualTo((double) authority(server, kind).getNotAfter().toInstant().getEpochSecond());
				assertThat(refreshed.value("tether_authority_state", labels)).as(kind).isEqualTo(1);
			}
			assertThat(refreshed.find("tether_authority_next_transition_seconds", Map.of("kind", "intermediate")))
				.isNotEmpty();
			assertThat(refreshed.value("tether_ocsp_responses_total", Map.of("status", "malformed"))).isZero();
			assertThat(refreshed.value("tether_certificate_soonest_expiry_seconds")).isCloseTo(soonestExpiry,
					within(5.0));
		}
	}

	private Scrape scrape(RunningServer server) {
		HttpResponse<String> response = RunningServer.send(this.plain,
				HttpRequest.newBuilder(server.managementUri("/actuator/prometheus")).GET().build());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return Scrape.parse(response.body());
	}

	private Scrape awaitScrape(RunningServer server, Predicate<Scrape> condition) throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		while (true) {
			Scrape scrape = scrape(server);
			if (condition.test(scrape)) {
				return scrape;
			}
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("The metrics did not catch up within 30 s:\n" + scrape.samples()
					.stream()
					.filter((sample) -> sample.name().startsWith("tether_"))
					.map(Object::toString)
					.reduce("", (all, line) -> all + line + "\n"));
			}
			Thread.sleep(200);
		}
	}

	private static X509Certificate issue(RunningServer server, String ttl) {
		String spiffeId = "spiffe://" + TD + "/ns/web";
		HttpResponse<String> response = server.postJson(server.adminClient(), "/v1/certificates",
				body(csrPem(spiffeId), spiffeId, List.of(), ttl));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return Pem.readCertificates(json.readTree(response.body()).get("certificateChain").asString()).get(0);
	}

	private static X509Certificate authority(RunningServer server, String kind) {
		JsonNode authorities = json.readTree(server.get(server.adminClient(), "/v1/ca").body()).get("authorities");
		for (JsonNode authority : authorities) {
			if (authority.get("kind").asString().equals(kind) && authority.get("generation").asInt() == 1) {
				return Pem.readCertificate(authority.get("certificatePem").asString());
			}
		}
		throw new AssertionError("no " + kind + " generation 1");
	}

}
