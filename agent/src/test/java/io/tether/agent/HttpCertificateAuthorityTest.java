package io.tether.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.tether.pki.Pem;
import io.tether.pki.Thumbprints;
import io.tether.pki.TlsContexts;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bundle sync's request over real TLS: conditional, over the agent's own mutual TLS
 * connection, and still possible once the server's certificate moved to a new root.
 */
class HttpCertificateAuthorityTest {

	private final TestPki oldRoot = TestPki.root().intermediate();

	private final TestPki newRoot = TestPki.root().intermediate();

	private final TestPki.Issued agent = this.oldRoot.leaf("spiffe://td.example/agent/host-1");

	private final List<X509Certificate> served = List.of(root(this.oldRoot), root(this.newRoot),
			this.oldRoot.issuerCredential().certificate(), this.newRoot.issuerCredential().certificate());

	private final List<String> requests = new ArrayList<>();

	private final List<HttpsServer> servers = new ArrayList<>();

	@AfterEach
	void stop() {
		this.servers.forEach((server) -> server.stop(0));
	}

	@Test
	void theBundleIsAskedWithIntermediatesAndThenOnlyIfItChanged() throws Exception {
		TestPki.Issued tls = this.oldRoot.leaf("spiffe://td.example/tether/server", "localhost");
		HttpCertificateAuthority ca = new HttpCertificateAuthority(List.of(serve(tls)));
		ca.authenticateAs(identity(List.of(root(this.oldRoot))));

		CertificateAuthority.Bundle bundle = ca.bundle(null);

		assertThat(bundle.certificates()).isEqualTo(this.served);
		assertThat(bundle.etag()).isEqualTo(tag());
		assertThat(bundle.servedBy()).first().isEqualTo(tls.certificate());
		assertThat(ca.bundle(bundle.etag())).as("304: unchanged").isNull();
		assertThat(this.requests).containsExactly("/v1/bundle?intermediates=true application/x-pem-file null",
				"/v1/bundle?intermediates=true application/x-pem-file " + tag());
	}

	@Test
	void theServersCertificateMovedToANewRootIsTrustedOnceTheAgentTrustsThatRoot() throws Exception {
		TestPki.Issued tls = this.newRoot.leaf("spiffe://td.example/tether/server", "localhost");
		HttpCertificateAuthority ca = new HttpCertificateAuthority(List.of(serve(tls)));

		ca.authenticateAs(identity(List.of(root(this.oldRoot))));
		assertThatThrownBy(() -> ca.bundle(null)).isInstanceOf(ServerClient.ServerException.class)
			.hasMessageContaining("unreachable");

		ca.authenticateAs(identity(List.of(root(this.oldRoot), root(this.newRoot))));
		assertThat(ca.bundle(null).certificates()).isEqualTo(this.served);
	}

	private IdentityStore.Identity identity(List<X509Certificate> roots) {
		return new IdentityStore.Identity(this.agent.keys().getPrivate(), this.agent.chain(), roots, Instant.now());
	}

	private String tag() {
		return "\"" + Thumbprints.sha256Hex(Pem.write(this.served).getBytes(StandardCharsets.US_ASCII)) + "\"";
	}

	private URI serve(TestPki.Issued tls) throws IOException {
		HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
		server.setHttpsConfigurator(new HttpsConfigurator(TlsContexts.mutual(tls.keys().getPrivate(), tls.chain(),
				List.of(root(this.oldRoot), root(this.newRoot)))));
		server.createContext("/v1/bundle", (exchange) -> {
			String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
			this.requests.add(exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst("Accept") + " "
					+ ifNoneMatch);
			exchange.getResponseHeaders().set("ETag", tag());
			if (tag().equals(ifNoneMatch)) {
				exchange.sendResponseHeaders(304, -1);
				exchange.close();
				return;
			}
			byte[] body = Pem.write(this.served).getBytes(StandardCharsets.US_ASCII);
			exchange.getResponseHeaders().set("Content-Type", "application/x-pem-file");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		this.servers.add(server);
		return URI.create("https://localhost:" + server.getAddress().getPort() + "/");
	}

	private static X509Certificate root(TestPki pki) {
		return pki.rootCredential().certificate();
	}

}
