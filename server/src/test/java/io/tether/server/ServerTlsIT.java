package io.tether.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.tether.pki.Pem;
import io.tether.pki.testing.Commands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's own TLS: it renews its certificate in place at half its life without a
 * restart, and it speaks only the protocols and suites it should, honouring the
 * operator's {@code server.ssl.*} settings. Judged by openssl.
 */
class ServerTlsIT {

	@TempDir
	Path dir;

	@Test
	void serverCertificateRenewsInPlaceAtHalfItsLife() throws IOException {
		try (RunningServer server = start(
				Map.of("tether.server.tls-ttl", "PT20S", "tether.server.tls-check-interval", "PT1S"))) {
			X509Certificate first = served(server);
			assertThat(Duration.between(first.getNotBefore().toInstant(), first.getNotAfter().toInstant()))
				.as("20 s plus the backdate")
				.isLessThanOrEqualTo(Duration.ofSeconds(81));
			Instant deadline = Instant.now().plusSeconds(40);
			X509Certificate current = first;
			while (current.getSerialNumber().equals(first.getSerialNumber())) {
				assertThat(Instant.now()).as("renewed before the first one expired").isBefore(deadline);
				current = served(server);
			}
			assertThat(current.getNotAfter()).isAfter(first.getNotAfter());
			assertThat(Instant.now()).as("the old certificate was still valid when replaced")
				.isBefore(first.getNotAfter().toInstant().plusSeconds(1));
			// the API keeps answering on the same port, with the renewed certificate
			assertThat(server.get(server.adminClient(), "/v1/status").statusCode()).isEqualTo(200);
			Long recorded = server.bean(org.springframework.jdbc.core.JdbcTemplate.class)
				.queryForObject("select count(*) from certificate where spiffe_id like '%/tether/server'", Long.class);
			assertThat(recorded).as("every server certificate is recorded").isGreaterThanOrEqualTo(2);
		}
	}

	@Test
	void defaultsOfferTls13AndTls12AeadSuitesOnly() throws IOException {
		try (RunningServer server = start(Map.of())) {
			assertThat(handshake(server, "-tls1_3")).as("TLS 1.3").isTrue();
			assertThat(handshake(server, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256")).as("TLS 1.2 AEAD")
				.isTrue();
			for (String cbc : new String[] { "ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA",
					"ECDHE-ECDSA-AES128-SHA256", "ECDHE-ECDSA-AES256-SHA384" }) {
				assertThat(handshake(server, "-tls1_2", "-cipher", cbc)).as("CBC suite " + cbc).isFalse();
			}
			assertThat(handshake(server, "-tls1_1")).as("TLS 1.1").isFalse();
		}
	}

	@Test
	void operatorsProtocolAndCipherSettingsAreHonoured() throws IOException {
		try (RunningServer server = start(Map.of("server.ssl.enabled-protocols", "TLSv1.3"))) {
			assertThat(handshake(server, "-tls1_3")).isTrue();
			assertThat(handshake(server, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"))
				.as("TLS 1.2 when only 1.3 is enabled")
				.isFalse();
		}
		try (RunningServer server = start(
				Map.of("server.ssl.ciphers", "TLS_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"))) {
			assertThat(handshake(server, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384")).isTrue();
			assertThat(handshake(server, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"))
				.as("a suite the operator left out")
				.isFalse();
		}
	}

	@Test
	void oneConnectionServesMoreRequestsThanTomcatsDefaultCap() throws IOException {
		try (RunningServer server = start(Map.of())) {
			// 150 pipelined requests on one TLS connection, the last asking to close:
			// Tomcat's default cap would close the connection after the hundredth
			String request = "GET /v1/bundle HTTP/1.1\\r\\nHost: localhost\\r\\n";
			String command = "{ i=0; while [ $i -lt 149 ]; do printf '" + request + "\\r\\n'; i=$((i+1)); done; "
					+ "printf '" + request + "Connection: close\\r\\n\\r\\n'; } | openssl s_client -connect localhost:"
					+ server.port() + " -servername localhost -quiet 2>/dev/null | grep -c '^HTTP/1.1 200'";
			Commands.Result result = Commands.run(this.dir, "sh", "-c", command);
			assertThat(result.output().trim()).isEqualTo("150");
		}
	}

	private RunningServer start(Map<String, Object> properties) throws IOException {
		Map<String, Object> all = new HashMap<>(properties);
		all.put("tether.trust-domain", "tls.example");
		return RunningServer.start(Files.createTempDirectory(this.dir, "server").resolve("data"), all);
	}

	private X509Certificate served(RunningServer server) throws IOException {
		Commands.Result result = Commands.run(this.dir, "sh", "-c", "openssl s_client -connect localhost:"
				+ server.port() + " -servername localhost </dev/null 2>/dev/null | openssl x509");
		assertThat(result.exitCode()).as(result.output()).isZero();
		return Pem.readCertificate(result.output());
	}

	/**
	 * Whether an openssl client completes a handshake with these options.
	 */
	private boolean handshake(RunningServer server, String... options) {
		String command = "openssl s_client -connect localhost:" + server.port() + " -servername localhost "
				+ String.join(" ", options) + " </dev/null";
		Commands.Result result = Commands.run(this.dir, "sh", "-c", command);
		return result.exitCode() == 0 && result.output().contains("BEGIN CERTIFICATE");
	}

}
