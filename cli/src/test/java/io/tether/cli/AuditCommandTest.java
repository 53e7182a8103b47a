package io.tether.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.tether.pki.Pem;
import io.tether.pki.TlsContexts;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tether audit verify} and {@code tether audit export} against a stub of the
 * server's API: verify exits 0 on an intact log and 1 with the first problem printed, so
 * that a script or a cron job can alert on it; export writes the JSON Lines as served.
 */
class AuditCommandTest {

	private static final String INTACT = """
			{"ok":true,"firstSequence":1,"lastSequence":42,"verified":42,"purgedThrough":null,"unsealed":3,
			 "lastCheckpoint":{"kind":"SEAL","sequence":40,"hash":"%s","createdAt":"2026-12-07T19:00:00Z"},
			 "problem":null}""".formatted("ab".repeat(32));

	private static final String ALTERED = """
			{"ok":false,"firstSequence":1,"lastSequence":9,"verified":9,"purgedThrough":null,"unsealed":0,
			 "lastCheckpoint":null,
			 "problem":{"kind":"ALTERED","sequence":10,"eventId":17,"message":"Event 17 at sequence 10 was altered"}}""";

	@TempDir
	Path dir;

	private final TestPki pki = TestPki.root();

	private final AtomicReference<String> body = new AtomicReference<>();

	private final AtomicReference<String> path = new AtomicReference<>();

	private HttpsServer server;

	private Map<String, String> environment;

	@BeforeEach
	void startStubServer() throws IOException {
		TestPki.Issued tls = this.pki.leaf("spiffe://audit.example/tether/server", "localhost");
		TestPki.Issued admin = this.pki.leaf("spiffe://audit.example/tether/admin");
		List<X509Certificate> bundle = List.of(this.pki.rootCredential().certificate());
		this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.setHttpsConfigurator(
				new HttpsConfigurator(TlsContexts.mutual(tls.keys().getPrivate(), tls.chain(), bundle)));
		this.server.createContext("/v1/audit/", (exchange) -> {
			this.path.set(exchange.getRequestURI().toString());
			byte[] bytes = this.body.get().getBytes(StandardCharsets.UTF_8);
			String type = exchange.getRequestURI().getPath().endsWith("/export") ? "application/x-ndjson"
					: "application/json";
			exchange.getResponseHeaders().set("Content-Type", type);
			exchange.sendResponseHeaders(200, bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		});
		this.server.start();
		Files.writeString(this.dir.resolve("bundle.pem"), Pem.write(bundle));
		Files.writeString(this.dir.resolve("admin-cert.pem"), Pem.write(admin.chain()));
		Files.writeString(this.dir.resolve("admin-key.pem"), Pem.write(admin.keys().getPrivate()));
		Files.writeString(this.dir.resolve("config.yaml"), """
				server: https://localhost:%d/
				bundle: bundle.pem
				certificate: admin-cert.pem
				key: admin-key.pem
				""".formatted(this.server.getAddress().getPort()));
		this.environment = Map.of("TETHER_CONFIG", this.dir.resolve("config.yaml").toString());
	}

	@AfterEach
	void stopStubServer() {
		this.server.stop(0);
	}

	@Test
	void verifyOfAnIntactLogExitsZeroAndSaysWhatItVerified() {
		this.body.set(INTACT);
		Cli.Run run = Cli.run(this.environment, "audit", "verify");
		assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
		assertThat(this.path.get()).isEqualTo("/v1/audit/verify");
		assertThat(run.out()).startsWith("OK: 42 events verified, sequences 1 to 42")
			.contains("last checkpoint: SEAL at sequence 40, 2026-12-07T19:00:00Z")
			.contains("not sealed yet: 3 events");
	}

	@Test
	void verifyOfATamperedLogExitsNonZeroWithTheFirstProblem() {
		this.body.set(ALTERED);
		Cli.Run run = Cli.run(this.environment, "audit", "verify");
		assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
		assertThat(run.out())
			.startsWith("FAILED: ALTERED at sequence 10 (event 17): Event 17 at sequence 10 was altered"
					+ System.lineSeparator())
			.contains("verified before it: 9 events, sequences 1 to 9");
	}

	@Test
	void verifyAsJsonStillExitsNonZeroOnAProblem() {
		this.body.set(ALTERED);
		Cli.Run run = Cli.run(this.environment, "audit", "verify", "-o", "json");
		assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
		assertThat(run.out()).contains("\"kind\" : \"ALTERED\"");
	}

	@Test
	void exportWritesTheLinesToAFileAndPassesWhereToStart() throws IOException {
		String lines = "{\"sequence\":21}\n{\"sequence\":22}\n";
		this.body.set(lines);
		Path file = this.dir.resolve("audit.jsonl");
		Cli.Run run = Cli.run(this.environment, "audit", "export", "--after", "20", "--file", file.toString());
		assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
		assertThat(this.path.get()).isEqualTo("/v1/audit/export?after=20");
		assertThat(Files.readString(file)).isEqualTo(lines);
		assertThat(run.err()).contains("Wrote 2 audit events to " + file);
	}

	@Test
	void exportWithSinceAndAfterIsAUsageError() {
		this.body.set("");
		Cli.Run run = Cli.run(this.environment, "audit", "export", "--after", "20", "--since", "1h");
		assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
		assertThat(this.path.get()).isNull();
	}

}
