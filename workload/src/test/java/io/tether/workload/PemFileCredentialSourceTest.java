package io.tether.workload;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.tether.pki.AtomicFiles;
import io.tether.pki.Pem;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class PemFileCredentialSourceTest {

	@TempDir
	Path dir;

	private final TestPki pki = TestPki.root().intermediate();

	@Test
	void runningHttpsServerPresentsTheRotatedCertificateToNewConnectionsWithoutRestart() throws Exception {
		TestPki.Issued first = this.pki.leaf("spiffe://example.org/web", "localhost");
		write(first);
		try (PemFileCredentialSource source = PemFileCredentialSource.watch(chain(), key(), bundle())) {
			HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
			server.setHttpsConfigurator(new HttpsConfigurator(TetherSsl.context(source)));
			server.createContext("/", (exchange) -> {
				byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			server.start();
			try {
				int port = server.getAddress().getPort();
				assertThat(servedSerial(port)).isEqualTo(first.certificate().getSerialNumber());

				TestPki.Issued second = this.pki.leaf("spiffe://example.org/web", "localhost");
				Instant renamed = write(second);
				Instant deadline = renamed.plusSeconds(5);
				while (!servedSerial(port).equals(second.certificate().getSerialNumber())) {
					assertThat(Instant.now()).as("new certificate served within 5 s").isBefore(deadline);
					Thread.onSpinWait();
				}
				Duration delay = Duration.between(renamed, Instant.now());
				System.out.println("rename to new handshakes: " + delay.toMillis() + " ms");
				assertThat(source.current().leaf()).isEqualTo(second.certificate());
			}
			finally {
				server.stop(0);
			}
		}
	}

	@Test
	void failedReloadKeepsTheLastGoodCredentials() throws Exception {
		TestPki.Issued first = this.pki.leaf("spiffe://example.org/web");
		write(first);
		try (PemFileCredentialSource source = PemFileCredentialSource.watch(chain(), key(), bundle())) {
			Files.writeString(chain(), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
			assertThat(source.reload()).isFalse();
			assertThat(source.current().leaf()).isEqualTo(first.certificate());
		}
	}

	@Test
	void keyOfAnotherCertificateIsNotLoaded() throws Exception {
		TestPki.Issued first = this.pki.leaf("spiffe://example.org/web");
		TestPki.Issued other = this.pki.leaf("spiffe://example.org/other");
		write(first);
		try (PemFileCredentialSource source = PemFileCredentialSource.watch(chain(), key(), bundle())) {
			Files.writeString(key(), Pem.write(other.keys().getPrivate()));
			assertThat(source.reload()).isFalse();
			assertThat(source.current().privateKey()).isEqualTo(first.keys().getPrivate());
		}
	}

	@Test
	void mismatchedFilesAtStartAreRefused() throws Exception {
		write(this.pki.leaf("spiffe://example.org/web"));
		Files.writeString(key(), Pem.write(this.pki.leaf("spiffe://example.org/x").keys().getPrivate()));
		assertThatIllegalStateException().isThrownBy(() -> PemFileCredentialSource.watch(chain(), key(), bundle()))
			.withMessageContaining("does not match");
	}

	@Test
	void followsASymlinkSwappedToANewDirectory() throws Exception {
		// the Kubernetes secret-mount layout: files are links through ..data
		Path v1 = Files.createDirectories(this.dir.resolve("..v1"));
		TestPki.Issued first = this.pki.leaf("spiffe://example.org/web");
		writeTo(v1, first);
		Path data = this.dir.resolve("..data");
		Files.createSymbolicLink(data, v1.getFileName());
		for (String name : List.of("cert.pem", "key.pem", "bundle.pem")) {
			Files.createSymbolicLink(this.dir.resolve(name), Path.of("..data", name));
		}
		try (PemFileCredentialSource source = PemFileCredentialSource.watch(chain(), key(), bundle())) {
			Path v2 = Files.createDirectories(this.dir.resolve("..v2"));
			TestPki.Issued second = this.pki.leaf("spiffe://example.org/web");
			writeTo(v2, second);
			Path link = this.dir.resolve("..data_tmp");
			Files.createSymbolicLink(link, v2.getFileName());
			Files.move(link, data, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
					java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			Instant deadline = Instant.now().plusSeconds(5);
			while (!source.current().leaf().equals(second.certificate())) {
				assertThat(Instant.now()).as("reloaded through the swapped link within 5 s").isBefore(deadline);
				Thread.onSpinWait();
			}
		}
	}

	@Test
	void bundleRewrittenByRenameNotifiesListenersOnceWithTheNewBundleAlreadyCurrent() throws Exception {
		TestPki.Issued first = this.pki.leaf("spiffe://example.org/web");
		write(first);
		try (PemFileCredentialSource source = PemFileCredentialSource.watch(chain(), key(), bundle())) {
			BlockingQueue<X509Credentials> heard = new LinkedBlockingQueue<>();
			List<Boolean> currentWhenHeard = new ArrayList<>();
			source.subscribe((credentials) -> {
				currentWhenHeard.add(source.current() == credentials);
				heard.add(credentials);
			});
			List<X509Certificate> rotated = List.of(this.pki.rootCredential().certificate(),
					TestPki.root().rootCredential().certificate());
			writeBundle(rotated);
			X509Credentials notified = heard.poll(5, TimeUnit.SECONDS);
			assertThat(notified).as("heard of the new bundle within 5 s").isNotNull();
			assertThat(notified.bundle()).isEqualTo(rotated);
			assertThat(notified.leaf()).isEqualTo(first.certificate());

			// once: the next thing heard is the next change, not the same one again
			TestPki.Issued second = this.pki.leaf("spiffe://example.org/web");
			write(second);
			X509Credentials next = heard.poll(5, TimeUnit.SECONDS);
			assertThat(next).as("heard of the renewal within 5 s").isNotNull();
			assertThat(next.leaf()).isEqualTo(second.certificate());
			assertThat(heard).isEmpty();
			assertThat(currentWhenHeard).containsExactly(true, true);
		}
	}

	@Test
	void halfWrittenBundleIsNotAChangeAndKeepsTheOldSnapshot() throws Exception {
		TestPki.Issued first = this.pki.leaf("spiffe://example.org/web");
		write(first);
		try (PemFileCredentialSource source = PemFileCredentialSource.watch(chain(), key(), bundle())) {
			X509Credentials before = source.current();
			BlockingQueue<X509Credentials> heard = new LinkedBlockingQueue<>();
			source.subscribe(heard::add);
			// a new root first: were the half file read as far as it goes, it would be a
			// change
			List<X509Certificate> rotated = List.of(TestPki.root().rootCredential().certificate(),
					this.pki.rootCredential().certificate());
			String whole = Pem.write(rotated);
			// written in place, not renamed: a reader may see part of it
			Files.writeString(bundle(), whole.substring(0, whole.length() * 3 / 4));
			assertThat(source.reload()).isFalse();
			assertThat(source.current()).isSameAs(before);

			// the watcher saw the half file too: the first thing heard is the good write
			writeBundle(rotated);
			X509Credentials notified = heard.poll(5, TimeUnit.SECONDS);
			assertThat(notified).as("heard of the good bundle within 5 s").isNotNull();
			assertThat(notified.bundle()).isEqualTo(rotated);
		}
	}

	@Test
	void closedSubscriptionIsNotCalledAgain() throws Exception {
		write(this.pki.leaf("spiffe://example.org/web"));
		try (PemFileCredentialSource source = PemFileCredentialSource.watch(chain(), key(), bundle())) {
			BlockingQueue<X509Credentials> closed = new LinkedBlockingQueue<>();
			BlockingQueue<X509Credentials> open = new LinkedBlockingQueue<>();
			CredentialSource.Subscription subscription = source.subscribe(closed::add);
			source.subscribe(open::add);
			subscription.close();
			subscription.close();
			TestPki.Issued second = this.pki.leaf("spiffe://example.org/web");
			write(second);
			X509Credentials notified = open.poll(5, TimeUnit.SECONDS);
			assertThat(notified).as("the open subscription heard within 5 s").isNotNull();
			assertThat(notified.leaf()).isEqualTo(second.certificate());
			assertThat(closed).isEmpty();
		}
	}

	@Test
	void failingListenerStopsNeitherOtherListenersNorLaterReloads() throws Exception {
		write(this.pki.leaf("spiffe://example.org/web"));
		try (PemFileCredentialSource source = PemFileCredentialSource.watch(chain(), key(), bundle())) {
			source.subscribe((credentials) -> {
				throw new IllegalStateException("listener bug");
			});
			BlockingQueue<X509Credentials> heard = new LinkedBlockingQueue<>();
			source.subscribe(heard::add);
			for (int i = 0; i < 2; i++) {
				TestPki.Issued renewed = this.pki.leaf("spiffe://example.org/web");
				write(renewed);
				X509Credentials notified = heard.poll(5, TimeUnit.SECONDS);
				assertThat(notified).as("renewal %d heard within 5 s", i + 1).isNotNull();
				assertThat(notified.leaf()).isEqualTo(renewed.certificate());
				assertThat(source.current()).isSameAs(notified);
			}
		}
	}

	@Test
	void subscribeWithoutListenerIsRefused() throws Exception {
		write(this.pki.leaf("spiffe://example.org/web"));
		try (PemFileCredentialSource source = PemFileCredentialSource.watch(chain(), key(), bundle())) {
			assertThatNullPointerException().isThrownBy(() -> source.subscribe(null))
				.withMessage("'listener' must not be null");
		}
	}

	private void writeBundle(List<X509Certificate> bundle) throws IOException {
		AtomicFiles.write(bundle(), Pem.write(bundle).getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC_READ);
	}

	private BigInteger servedSerial(int port) throws IOException {
		SSLContext client = clientContext();
		SSLSocketFactory factory = client.getSocketFactory();
		try (SSLSocket socket = (SSLSocket) factory.createSocket("localhost", port)) {
			socket.startHandshake();
			return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
		}
	}

	private SSLContext clientContext() {
		// trusts the test root, nothing else; a fresh context per connection: no
		// resumption
		X509Credentials trustOnly = new X509Credentials(this.pki.rootCredential().privateKey(),
				List.of(this.pki.rootCredential().certificate()), List.of(this.pki.rootCredential().certificate()));
		return TetherSsl.context(() -> trustOnly);
	}

	private Instant write(TestPki.Issued issued) throws IOException {
		return writeTo(this.dir, issued);
	}

	private Instant writeTo(Path directory, TestPki.Issued issued) throws IOException {
		AtomicFiles.write(directory.resolve("bundle.pem"),
				Pem.write(this.pki.rootCredential().certificate()).getBytes(StandardCharsets.US_ASCII),
				AtomicFiles.PUBLIC_READ);
		AtomicFiles.write(directory.resolve("key.pem"),
				Pem.write(issued.keys().getPrivate()).getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
		AtomicFiles.write(directory.resolve("cert.pem"), Pem.write(issued.chain()).getBytes(StandardCharsets.US_ASCII),
				AtomicFiles.PUBLIC_READ);
		return Instant.now();
	}

	private Path chain() {
		return this.dir.resolve("cert.pem");
	}

	private Path key() {
		return this.dir.resolve("key.pem");
	}

	private Path bundle() {
		return this.dir.resolve("bundle.pem");
	}

}
