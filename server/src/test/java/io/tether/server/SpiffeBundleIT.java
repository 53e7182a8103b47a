package io.tether.server;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import io.tether.pki.KeyEncryptionKey;
import io.tether.pki.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/bundle/spiffe}: the PEM bundle's roots as a SPIFFE trust bundle that a
 * JOSE library reads back, with a sequence number that rotations move forward and that
 * replicas sharing a database agree on.
 */
class SpiffeBundleIT {

	private static final String TD = "spiffe-bundle.example";

	@TempDir
	Path dir;

	@Test
	void spiffeBundleHoldsThePemBundlesRootsAndItsSequenceGrowsWithEveryRotationStep() throws Exception {
		try (RunningServer server = RunningServer.start(this.dir, Map.of("tether.trust-domain", TD))) {
			HttpResponse<String> first = spiffe(server);
			assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
			assertThat(first.headers().firstValue("Content-Type")).hasValue("application/json");
			assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-cache");
			assertSameRootsAsThePemBundle(server, first.body());
			assertThat(json.readTree(first.body()).get("spiffe_refresh_hint").asLong())
				.as("a tenth of a year-long intermediate's publication lead, at most five minutes")
				.isEqualTo(300);
			long initial = sequence(first);
			assertThat(initial).isPositive();
			assertThat(sequence(spiffe(server))).as("no rotation, same sequence").isEqualTo(initial);

			long root = sequenceAfterRotating(server, "root", initial);
			assertThat(json.readTree(spiffe(server).body()).get("keys"))
				.filteredOn((key) -> key.get("use").asString().equals("x509-svid"))
				.as("the prepared root is published")
				.hasSize(2);
			assertSameRootsAsThePemBundle(server, spiffe(server).body());
			long prepared = sequenceAfterRotating(server, "intermediate", root);
			sequenceAfterRotating(server, "intermediate", prepared);
			assertSameRootsAsThePemBundle(server, spiffe(server).body());
		}
	}

	@Test
	void unchangedSpiffeBundleIsAnsweredWithoutABodyAndAChangedOneWithANewTag() {
		try (RunningServer server = RunningServer.start(this.dir, Map.of("tether.trust-domain", TD))) {
			String etag = spiffe(server).headers().firstValue("ETag").orElseThrow();
			HttpResponse<String> again = spiffe(server, etag);
			assertThat(again.statusCode()).isEqualTo(304);
			assertThat(again.body()).isEmpty();
			HttpResponse<String> pem = RunningServer.send(server.anonymousClient(),
					HttpRequest.newBuilder(server.uri("/v1/bundle")).header("If-None-Match", etag).build());
			assertThat(pem.statusCode()).as("the PEM bundle is another document").isEqualTo(200);

			server.postJson(server.adminClient(), "/v1/ca/rotate", "{\"kind\":\"intermediate\"}");
			HttpResponse<String> rotated = spiffe(server, etag);
			assertThat(rotated.statusCode()).as("a new sequence is a new document, even with the same roots")
				.isEqualTo(200);
			assertThat(rotated.headers().firstValue("ETag")).isPresent().isNotEqualTo(java.util.Optional.of(etag));
		}
	}

	@Test
	void replicasSharingADatabaseServeOneSequence() throws Exception {
		try (TestDatabases.PostgresSchema schema = TestDatabases.postgres()) {
			Map<String, Object> properties = Map.of("tether.trust-domain", TD, "spring.datasource.url",
					schema.jdbcUrl(), "tether.kek", KeyEncryptionKey.generate(new SecureRandom()).toBase64(),
					"tether.ca.rotation-check-interval", "PT0.5S");
			try (RunningServer first = RunningServer.start(Files.createDirectories(this.dir.resolve("a")), properties);
					RunningServer second = RunningServer.start(Files.createDirectories(this.dir.resolve("b")),
							properties)) {
				assertThat(sequence(spiffe(second))).isEqualTo(sequence(spiffe(first)));
				long before = sequence(spiffe(first));
				HttpResponse<String> rotated = first.postJson(first.adminClient(), "/v1/ca/rotate",
						"{\"kind\":\"root\"}");
				assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
				long after = sequence(spiffe(first));
				assertThat(after).isGreaterThan(before);
				Instant deadline = Instant.now().plusSeconds(20);
				long seen = sequence(spiffe(second));
				while (seen != after) {
					assertThat(seen).as("never a number the other replica did not serve").isEqualTo(before);
					assertThat(Instant.now()).as("the second replica reloads at its next rotation check")
						.isBefore(deadline);
					Thread.sleep(200);
					seen = sequence(spiffe(second));
				}
				assertThat(spiffe(second).body()).as("one document on both").isEqualTo(spiffe(first).body());
			}
		}
	}

	private static long sequenceAfterRotating(RunningServer server, String kind, long before) {
		HttpResponse<String> rotated = server.postJson(server.adminClient(), "/v1/ca/rotate",
				"{\"kind\":\"" + kind + "\"}");
		assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
		long after = sequence(spiffe(server));
		assertThat(after).as("after rotating the %s (%s)", kind, json.readTree(rotated.body()).get("done"))
			.isGreaterThan(before);
		return after;
	}

	/**
	 * The x5c certificates are the PEM bundle's, in order, and each key's public
	 * parameters are its certificate's key.
	 */
	private static void assertSameRootsAsThePemBundle(RunningServer server, String body) throws Exception {
		List<X509Certificate> pem = Pem.readCertificates(server.get(server.anonymousClient(), "/v1/bundle").body());
		JWKSet set = JWKSet.parse(body);
		assertThat(set.getKeys()).as("the roots, then one JWT authority key").hasSize(pem.size() + 1);
		assertThat(set.getKeys().get(pem.size()).getKeyUse()).isEqualTo(new KeyUse("jwt-svid"));
		for (int i = 0; i < pem.size(); i++) {
			JWK key = set.getKeys().get(i);
			assertThat(key.getKeyUse()).isEqualTo(new KeyUse("x509-svid"));
			assertThat(key.getParsedX509CertChain()).containsExactly(pem.get(i));
			assertThat(key).isInstanceOf(ECKey.class);
			assertThat(((ECKey) key).toECPublicKey()).isEqualTo(pem.get(i).getPublicKey());
			assertThat(((ECKey) key).getCurve().getName()).isEqualTo("P-256");
		}
		JsonNode keys = json.readTree(body).get("keys");
		keys.forEach((key) -> {
			if (key.get("use").asString().equals("x509-svid")) {
				assertThat(key.get("x5c")).hasSize(1);
			}
		});
	}

	private static HttpResponse<String> spiffe(RunningServer server) {
		return server.get(server.anonymousClient(), "/v1/bundle/spiffe");
	}

	private static HttpResponse<String> spiffe(RunningServer server, String etag) {
		return RunningServer.send(server.anonymousClient(),
				HttpRequest.newBuilder(server.uri("/v1/bundle/spiffe")).header("If-None-Match", etag).build());
	}

	private static long sequence(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body()).get("spiffe_sequence").asLong();
	}

}
