package io.tether.server;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.SpiffeId;
import io.tether.pki.testing.Commands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The intermediate rotates by itself, with lifetimes compressed to seconds: a new one is
 * prepared and published at a third of the old one's life and takes over at half of it,
 * leaves signed before and after both verify against the unchanged root, none is cut
 * short, and the old one retires once it has expired. A server whose intermediate expired
 * while it was stopped rotates at start.
 */
class IntermediateRotationIT {

	private static final String TD = "rotation.example";

	@TempDir
	Path dir;

	@Test
	void intermediateRotatesAtHalfItsLifeAndRetiresWhenExpired() throws IOException {
		try (RunningServer server = RunningServer.start(this.dir.resolve("data"), compressed("PT40S"))) {
			assertThat(intermediates(server)).hasSize(1);
			// a leaf signed three seconds before the rotation point, to be checked after
			// it
			X509Certificate first = Pem.readCertificate(intermediates(server).get(0).get("certificatePem").asString());
			Instant issued = first.getNotBefore().toInstant().plusSeconds(30);
			Instant rotation = issued.plus(Duration.between(issued, first.getNotAfter().toInstant()).dividedBy(2));
			while (Instant.now().isBefore(rotation.minusSeconds(3))) {
				Thread.onSpinWait();
			}
			X509Certificate before = issue(server, "PT12S");
			Instant issuedBefore = Instant.now();
			Instant deadline = Instant.now().plusSeconds(40);
			while (intermediates(server).size() < 2
					|| !intermediates(server).get(1).get("status").asString().equals("active")) {
				assertThat(Instant.now()).as("a second intermediate within the first one's life").isBefore(deadline);
				Thread.onSpinWait();
			}
			JsonNode generations = intermediates(server);
			assertThat(generations.get(0).get("status").asString()).isEqualTo("retiring");
			assertThat(generations.get(0).get("next").asString()).isEqualTo("retired");
			assertThat(generations.get(0).get("nextAt").asString())
				.isEqualTo(first.getNotAfter().toInstant().toString());
			assertThat(generations.get(1).get("status").asString()).isEqualTo("active");

			List<X509Certificate> published = Pem
				.readCertificates(server.get(server.anonymousClient(), "/v1/bundle?intermediates=true").body());
			assertThat(published).as("the root, the new intermediate and the retiring one, for leaf-only clients")
				.hasSize(3)
				.contains(first);
			X509Certificate after = issue(server, "PT10S");
			assertThat(after.getIssuerX500Principal()).isEqualTo(before.getIssuerX500Principal());
			assertThat(after.getSignature()).isNotEqualTo(before.getSignature());
			verify(server, before, "before");
			verify(server, after, "after");
			assertThat(Duration.between(issuedBefore, before.getNotAfter().toInstant()))
				.as("the leaf signed before the rotation was not cut short")
				.isGreaterThan(Duration.ofSeconds(10));

			deadline = Instant.now().plusSeconds(50);
			while (!intermediates(server).get(0).get("status").asString().equals("retired")) {
				assertThat(Instant.now()).as("the old intermediate retired after it expired").isBefore(deadline);
				Thread.onSpinWait();
			}
			assertThat(server.get(server.adminClient(), "/v1/status").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void aServerWhoseIntermediateExpiredWhileStoppedRotatesAtStart() throws IOException {
		Path data = this.dir.resolve("stopped");
		Map<String, Object> properties = compressed("PT16S");
		X509Certificate first;
		try (RunningServer server = RunningServer.start(data, properties)) {
			first = Pem
				.readCertificates(json.readTree(server.get(server.adminClient(), "/v1/ca").body())
					.get("authorities")
					.get(1)
					.get("certificatePem")
					.asString())
				.get(0);
		}
		while (Instant.now().isBefore(first.getNotAfter().toInstant().plusSeconds(1))) {
			Thread.onSpinWait();
		}
		try (RunningServer server = RunningServer.start(data, properties)) {
			JsonNode intermediates = intermediates(server);
			assertThat(intermediates.get(intermediates.size() - 1).get("status").asString()).isEqualTo("active");
			assertThat(intermediates.get(intermediates.size() - 1).get("generation").asInt()).isGreaterThan(1);
			verify(server, issue(server, "PT5S"), "after restart");
		}
	}

	@Test
	void leafLifetimesThatCannotFitAreRefusedAtStartNamingTheSetting() {
		Map<String, Object> properties = compressed("PT40S");
		properties.put("tether.issuance.max-ttl", "PT30S");
		assertThatException().isThrownBy(() -> RunningServer.start(this.dir.resolve("refused"), properties))
			.satisfies((ex) -> {
				StringBuilder messages = new StringBuilder();
				for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
					messages.append(cause.getMessage());
				}
				assertThat(messages.toString()).contains("tether.issuance.max-ttl").contains("cut short");
			});
	}

	/**
	 * Every lifetime a tenth of a minute or so: the intermediate as given, every leaf at
	 * most a third of it.
	 */
	private static Map<String, Object> compressed(String intermediateTtl) {
		long third = Duration.parse(intermediateTtl).toSeconds() / 3;
		Map<String, Object> properties = new HashMap<>();
		properties.put("tether.trust-domain", TD);
		properties.put("tether.ca.intermediate-ttl", intermediateTtl);
		properties.put("tether.ca.rotation-check-interval", "PT1S");
		properties.put("tether.issuance.min-ttl", "PT2S");
		properties.put("tether.issuance.max-ttl", "PT" + third + "S");
		properties.put("tether.agent.ttl", "PT" + third + "S");
		properties.put("tether.server.tls-ttl", "PT" + third + "S");
		properties.put("tether.server.tls-check-interval", "PT1S");
		properties.put("tether.admin.ttl", "PT" + third + "S");
		properties.put("tether.admin.check-interval", "PT1S");
		return properties;
	}

	private static JsonNode intermediates(RunningServer server) {
		HttpResponse<String> response = server.get(server.adminClient(), "/v1/ca");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		List<JsonNode> found = new java.util.ArrayList<>();
		json.readTree(response.body()).get("authorities").forEach((authority) -> {
			if (authority.get("kind").asString().equals("intermediate")) {
				found.add(authority);
			}
		});
		return json.valueToTree(found);
	}

	private static X509Certificate issue(RunningServer server, String ttl) {
		String spiffeId = "spiffe://" + TD + "/ns/web";
		String csr = Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse(spiffeId), List.of()).toPem();
		HttpResponse<String> response = server.postJson(server.adminClient(), "/v1/certificates",
				json.writeValueAsString(Map.of("csr", csr, "spiffeId", spiffeId, "ttl", ttl)));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		List<X509Certificate> chain = Pem
			.readCertificates(json.readTree(response.body()).get("certificateChain").asString());
		return chain.get(0);
	}

	/**
	 * openssl verifies the leaf against the server's published bundle (the root) and the
	 * intermediates the CA lists.
	 */
	private void verify(RunningServer server, X509Certificate leaf, String name) throws IOException {
		Path work = Files.createDirectories(this.dir.resolve("verify-" + name.replace(' ', '-')));
		Files.writeString(work.resolve("bundle.pem"), server.get(server.anonymousClient(), "/v1/bundle").body());
		StringBuilder intermediates = new StringBuilder();
		intermediates(server)
			.forEach((intermediate) -> intermediates.append(intermediate.get("certificatePem").asString()));
		Files.writeString(work.resolve("intermediates.pem"), intermediates.toString());
		Files.writeString(work.resolve("leaf.pem"), Pem.write(leaf));
		Commands.Result result = Commands.run(work, "openssl", "verify", "-CAfile", "bundle.pem", "-untrusted",
				"intermediates.pem", "leaf.pem");
		assertThat(result.exitCode()).as(name + ": " + result.output()).isZero();
	}

}
