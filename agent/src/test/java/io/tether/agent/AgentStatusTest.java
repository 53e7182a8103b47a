package io.tether.agent;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tether.pki.KeyType;
import io.tether.pki.testing.ManualClock;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /healthz} and {@code /metrics} over HTTP, the metrics parsed back from the
 * Prometheus text format as a scraper reads them.
 */
class AgentStatusTest {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	/** {@code name{labels} value}, the text format's sample line. */
	private static final Pattern SAMPLE = Pattern.compile(
			"([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*)\\})? (\\S+)");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	@TempDir
	Path dir;

	private final ManualClock clock = new ManualClock(NOW);

	private AgentStatus status;

	private final TestPki pki = TestPki.root(this.clock, KeyType.EC_P256).intermediate();

	@BeforeEach
	void create() {
		this.status = new AgentStatus(this.dir, this.clock);
	}

	@AfterEach
	void stop() {
		this.status.close();
	}

	@Test
	void metricsCarryEachCertificatesExpiryAndFailureCountInTheTextFormat() throws IOException {
		X509Certificate agent = this.pki.leaf(KeyType.EC_P256, Duration.ofHours(1), "spiffe://td.example/agent/h1")
			.certificate();
		X509Certificate web = this.pki.leaf(KeyType.EC_P256, Duration.ofMinutes(5), "spiffe://td.example/ns/web")
			.certificate();
		this.status.record("agent", agent, NOW.plusSeconds(1800), 0, null);
		this.status.record("spiffe://td.example/ns/web", web, NOW.plusSeconds(2), 3, "server \"down\"");
		this.status.record("spiffe://td.example/ns/new", null, NOW.plusSeconds(1), 1, "no entry");
		this.status.serve(0);

		Response response = get("/metrics");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.contentType()).isEqualTo("text/plain; version=0.0.4");
		List<Sample> samples = parse(response.body());
		assertThat(samples).containsExactlyInAnyOrder(
				new Sample("tether_agent_certificate_not_after_seconds",
						Map.of("name", "agent", "spiffe_id", "spiffe://td.example/agent/h1"),
						agent.getNotAfter().toInstant().getEpochSecond()),
				new Sample("tether_agent_certificate_not_after_seconds",
						Map.of("name", "spiffe://td.example/ns/web", "spiffe_id", "spiffe://td.example/ns/web"),
						web.getNotAfter().toInstant().getEpochSecond()),
				new Sample("tether_agent_renewal_consecutive_failures", Map.of("name", "agent"), 0),
				new Sample("tether_agent_renewal_consecutive_failures", Map.of("name", "spiffe://td.example/ns/web"),
						3),
				new Sample("tether_agent_renewal_consecutive_failures", Map.of("name", "spiffe://td.example/ns/new"),
						1));
	}

	@Test
	void healthzIsOkUntilACertificateHasExpired() throws IOException {
		X509Certificate web = this.pki.leaf(KeyType.EC_P256, Duration.ofMinutes(5), "spiffe://td.example/ns/web")
			.certificate();
		this.status.record("spiffe://td.example/ns/web", web, NOW.plusSeconds(150), 0, null);
		this.status.serve(0);

		assertThat(get("/healthz")).isEqualTo(new Response(200, "text/plain", "ok\n"));
		this.clock.set(web.getNotAfter().toInstant().minusSeconds(1));
		assertThat(get("/healthz").status()).isEqualTo(200);
		this.clock.set(web.getNotAfter().toInstant());
		assertThat(get("/healthz")).isEqualTo(new Response(503, "text/plain", "certificate expired\n"));
	}

	@Test
	void healthzSaysWhatTheAgentWaitsFor() throws IOException {
		X509Certificate agent = this.pki.leaf(KeyType.EC_P256, Duration.ofMinutes(5), "spiffe://td.example/agent/a")
			.certificate();
		this.status.record("agent", "waiting for a new join token in /etc/tether/join-token", agent,
				NOW.plusSeconds(150), 3, "re-attestation refused");
		this.status.serve(0);

		assertThat(get("/healthz")).isEqualTo(
				new Response(503, "text/plain", "agent: waiting for a new join token in /etc/tether/join-token\n"));
		assertThat(AgentStatus.read(this.dir).certificates().get(0).condition())
			.isEqualTo("waiting for a new join token in /etc/tether/join-token");
	}

	private record Response(int status, String contentType, String body) {
	}

	private Response get(String path) throws IOException {
		HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + this.status.port() + path)
			.toURL()
			.openConnection(Proxy.NO_PROXY);
		int code = connection.getResponseCode();
		try (var in = (code < 400) ? connection.getInputStream() : connection.getErrorStream()) {
			return new Response(code, connection.getContentType(),
					new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
	}

	private record Sample(String name, Map<String, String> labels, double value) {
	}

	/**
	 * Reads the text format back: every sample belongs to a metric declared by a TYPE
	 * line before it, and nothing else is on a line.
	 */
	private static List<Sample> parse(String text) {
		List<Sample> samples = new ArrayList<>();
		Set<String> typed = new HashSet<>();
		for (String line : text.split("\n")) {
			if (line.startsWith("# HELP ")) {
				continue;
			}
			if (line.startsWith("# TYPE ")) {
				String[] parts = line.split(" ");
				assertThat(parts).as(line).hasSize(4);
				assertThat(parts[3]).isEqualTo("gauge");
				typed.add(parts[2]);
				continue;
			}
			Matcher sample = SAMPLE.matcher(line);
			assertThat(sample.matches()).as("a sample line: " + line).isTrue();
			assertThat(typed).as("declared before its samples").contains(sample.group(1));
			Map<String, String> labels = new LinkedHashMap<>();
			if (sample.group(2) != null) {
				Matcher label = LABEL.matcher(sample.group(2));
				while (label.find()) {
					labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
				}
			}
			samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
		}
		assertThat(text).endsWith("\n");
		return samples;
	}

}
