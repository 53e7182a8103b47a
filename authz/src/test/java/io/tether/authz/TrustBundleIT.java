package io.tether.authz;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.tether.pki.AtomicFiles;
import io.tether.pki.Pem;
import io.tether.pki.testing.TestPki;
import io.tether.workload.TetherSsl;
import io.tether.workload.X509Credentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running server's HTTPS connector follows the agent's bundle file: no CA to poll
 * (its URL leads nowhere), only the file changing under it.
 */
class TrustBundleIT {

	@TempDir
	Path dir;

	private final TestPki root = TestPki.root();

	private final TestPki first = this.root.intermediate();

	private final TestPki next = this.root.intermediate();

	@Test
	void connectorTrustsAnIntermediateOnceWrittenAndNotOnceRemoved() throws Exception {
		writeBundle(List.of(root(), intermediate(this.first)));
		TestPki.Issued own = this.first.leaf("spiffe://td/ns/authz", "localhost");
		AtomicFiles.write(this.dir.resolve("key.pem"),
				Pem.write(own.keys().getPrivate()).getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
		AtomicFiles.write(this.dir.resolve("cert.pem"), Pem.write(own.chain()).getBytes(StandardCharsets.US_ASCII),
				AtomicFiles.PUBLIC_READ);
		try (ConfigurableApplicationContext authz = new SpringApplicationBuilder(TetherAuthzApplication.class).run(
				"--server.port=0", "--management.server.port=0", "--tether.authz.issuer=https://localhost",
				"--tether.authz.data-dir=" + this.dir.resolve("data"), "--tether.authz.ca-url=https://127.0.0.1:1",
				"--tether.authz.credentials.certificate=" + this.dir.resolve("cert.pem"),
				"--tether.authz.credentials.key=" + this.dir.resolve("key.pem"),
				"--tether.authz.credentials.bundle=" + this.dir.resolve("bundle.pem"))) {
			URI metadata = URI.create("https://localhost:" + authz.getEnvironment().getProperty("local.server.port")
					+ "/.well-known/oauth-authorization-server");
			TestPki.Issued underFirst = this.first.leaf("spiffe://td/ns/web");
			TestPki.Issued underNext = this.next.leaf("spiffe://td/ns/web");
			assertThat(accepts(metadata, underFirst)).isTrue();
			assertThat(accepts(metadata, underNext)).as("a leaf of an intermediate the file does not hold").isFalse();

			writeBundle(List.of(root(), intermediate(this.first), intermediate(this.next)));
			awaitAccepts(metadata, underNext, true);
			assertThat(accepts(metadata, underFirst)).isTrue();

			writeBundle(List.of(root(), intermediate(this.next)));
			awaitAccepts(metadata, underFirst, false);
			assertThat(accepts(metadata, underNext)).isTrue();
		}
	}

	private void awaitAccepts(URI uri, TestPki.Issued client, boolean accepted) throws InterruptedException {
		Instant deadline = Instant.now().plusSeconds(5);
		while (accepts(uri, client) != accepted) {
			assertThat(Instant.now()).as("connector updated within 5 s of the write").isBefore(deadline);
			Thread.sleep(50);
		}
	}

	/**
	 * Over a fresh TLS context (no resumed session), presenting the leaf alone.
	 */
	private boolean accepts(URI uri, TestPki.Issued client) throws InterruptedException {
		X509Credentials leafOnly = new X509Credentials(client.keys().getPrivate(), List.of(client.certificate()),
				List.of(root()));
		try (HttpClient http = HttpClient.newBuilder()
			.sslContext(TetherSsl.context(() -> leafOnly))
			.connectTimeout(Duration.ofSeconds(5))
			.build()) {
			return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
				.statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private void writeBundle(List<X509Certificate> bundle) throws IOException {
		AtomicFiles.write(this.dir.resolve("bundle.pem"), Pem.write(bundle).getBytes(StandardCharsets.US_ASCII),
				AtomicFiles.PUBLIC_READ);
	}

	private X509Certificate root() {
		return this.root.rootCredential().certificate();
	}

	private static X509Certificate intermediate(TestPki pki) {
		return pki.issuerCredential().certificate();
	}

}
