package io.tether.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;

import io.tether.pki.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

}
