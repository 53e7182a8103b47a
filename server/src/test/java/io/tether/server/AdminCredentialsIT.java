package io.tether.server;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.SpiffeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin credentials the server writes to its data directory are renewed while it
 * runs, before they expire: a server that runs longer than the certificate lives does not
 * lock its operator out.
 */
class AdminCredentialsIT {

	@TempDir
	Path dir;

	@Test
	void adminCertificateIsRenewedWhileTheServerRunsAndTheRenewedOneWorks() throws IOException {
		Path data = this.dir.resolve("data");
		try (RunningServer server = RunningServer.start(data, Map.of("tether.trust-domain", "admin.example",
				"tether.admin.ttl", "PT30S", "tether.admin.check-interval", "PT1S"))) {
			Path certificate = server.adminDir().resolve("admin-cert.pem");
			X509Certificate first = Pem.readCertificate(Files.readString(certificate));
			Instant deadline = Instant.now().plusSeconds(40);
			X509Certificate current = first;
			while (current.getSerialNumber().equals(first.getSerialNumber())) {
				assertThat(Instant.now()).as("renewed before the first one expired").isBefore(deadline);
				Thread.onSpinWait();
				current = Pem.readCertificate(Files.readString(certificate));
			}
			assertThat(current.getNotAfter()).isAfter(first.getNotAfter());
			assertThat(Instant.now()).as("renewed while the first was still valid")
				.isBefore(first.getNotAfter().toInstant());
			// the files a CLI reads now hold the renewed certificate and its key
			assertThat(server.get(server.adminClient(), "/v1/status").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void adminRenewOverTheApiKeepsTheKeyAndRefusesAnotherKeyChangingNothing() throws Exception {
		try (RunningServer server = RunningServer.start(this.dir.resolve("renew"),
				Map.of("tether.trust-domain", "admin.example"))) {
			PrivateKey key = Pem.readPrivateKey(Files.readString(server.adminDir().resolve("admin-key.pem")));
			X509Certificate current = Pem
				.readCertificate(Files.readString(server.adminDir().resolve("admin-cert.pem")));
			SpiffeId id = SpiffeId.of(current).orElseThrow();
			JdbcTemplate jdbc = server.bean(JdbcTemplate.class);
			String count = "select count(*) from certificate";
			long before = jdbc.queryForObject(count, Long.class);

			String otherKey = Csr.create(KeyType.EC_P256.generate(), id, List.of()).toPem();
			HttpResponse<String> refused = server.postJson(server.adminClient(), "/v1/admin/renew",
					ServerScenarios.json.writeValueAsString(Map.of("csr", otherKey)));
			assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
			assertThat(refused.body()).contains("key-mismatch");
			assertThat(jdbc.queryForObject(count, Long.class)).as("nothing issued").isEqualTo(before);

			String sameKey = Csr.create(new KeyPair(current.getPublicKey(), key), id, List.of()).toPem();
			HttpResponse<String> renewed = server.postJson(server.adminClient(), "/v1/admin/renew",
					ServerScenarios.json.writeValueAsString(Map.of("csr", sameKey)));
			assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
			X509Certificate issued = Pem
				.readCertificates(ServerScenarios.json.readTree(renewed.body()).get("certificateChain").asString())
				.get(0);
			assertThat(issued.getPublicKey()).isEqualTo(current.getPublicKey());
			assertThat(SpiffeId.of(issued)).contains(id);
			assertThat(jdbc.queryForObject(count, Long.class)).isEqualTo(before + 1);

			HttpResponse<String> anonymous = server.postJson(server.anonymousClient(), "/v1/admin/renew",
					ServerScenarios.json.writeValueAsString(Map.of("csr", sameKey)));
			assertThat(anonymous.statusCode()).isEqualTo(401);
		}
	}

}
