package io.tether.authz;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.tether.pki.AtomicFiles;
import io.tether.pki.Pem;
import io.tether.pki.testing.TestPki;
import io.tether.workload.PemFileCredentialSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real agent-style files: every change arrives through the credential source's
 * listener, never a poll (there is none left to call).
 */
class TrustBundleTest {

	@TempDir
	Path dir;

	private final TestPki root = TestPki.root();

	private final TestPki first = this.root.intermediate();

	/** A second intermediate under the same root, as after an intermediate rotation. */
	private final TestPki nextIntermediate = this.root.intermediate();

	private final TestPki nextRoot = TestPki.root().intermediate();

	private final AtomicReference<List<X509Certificate>> published = new AtomicReference<>(
			List.of(root(this.first), intermediate(this.first)));

	private final AtomicInteger fetches = new AtomicInteger();

	private final BlockingQueue<SslBundle> updates = new LinkedBlockingQueue<>();

	private final AtomicReference<SslBundle> registered = new AtomicReference<>();

	private PemFileCredentialSource source;

	private TrustBundle trust;

	@AfterEach
	void close() {
		if (this.trust != null) {
			this.trust.destroy();
		}
		if (this.source != null) {
			this.source.close();
		}
	}

	@Test
	void clientChainsValidateAgainstTheBundleFileLeafOnlyIncludedWithoutAskingTheCa() throws Exception {
		start(List.of(root(this.first), intermediate(this.first)));
		assertThat(this.trust.validate(chain(this.first))).isNull();
		assertThat(this.trust.validate(leafOnly(this.first))).isNull();
		assertThat(this.trust.validate(chain(this.nextRoot))).isNotNull();
		assertThat(trusts(this.registered.get(), intermediate(this.first))).isTrue();
		assertThat(this.fetches).hasValue(0);
	}

	@Test
	void newIntermediateWrittenIntoTheBundleFileIsTrustedAtOnce() throws Exception {
		start(List.of(root(this.first), intermediate(this.first)));
		assertThat(this.trust.validate(leafOnly(this.nextIntermediate))).isNotNull();

		writeBundle(List.of(root(this.first), intermediate(this.first), intermediate(this.nextIntermediate)));
		SslBundle updated = nextUpdate();
		assertThat(trusts(updated, intermediate(this.nextIntermediate))).isTrue();
		assertThat(this.trust.validate(leafOnly(this.nextIntermediate))).isNull();
		assertThat(this.trust.validate(leafOnly(this.first))).isNull();
		assertThat(this.fetches).hasValue(0);
	}

	@Test
	void newRootWrittenIntoTheBundleFileIsTrustedAtOnce() throws Exception {
		start(List.of(root(this.first), intermediate(this.first)));
		assertThat(this.trust.validate(chain(this.nextRoot))).isNotNull();

		writeBundle(
				List.of(root(this.first), root(this.nextRoot), intermediate(this.first), intermediate(this.nextRoot)));
		SslBundle updated = nextUpdate();
		assertThat(trusts(updated, root(this.nextRoot))).isTrue();
		assertThat(this.trust.validate(chain(this.nextRoot))).isNull();
		assertThat(this.trust.validate(leafOnly(this.nextRoot))).isNull();
		assertThat(this.trust.validate(chain(this.first))).isNull();
	}

	@Test
	void intermediateRemovedFromTheBundleFileIsNoLongerTrusted() throws Exception {
		start(List.of(root(this.first), intermediate(this.first), intermediate(this.nextIntermediate)));
		assertThat(this.trust.validate(leafOnly(this.first))).isNull();

		writeBundle(List.of(root(this.first), intermediate(this.nextIntermediate)));
		SslBundle updated = nextUpdate();
		assertThat(trusts(updated, intermediate(this.first))).isFalse();
		assertThat(this.trust.validate(leafOnly(this.first))).isNotNull();
		assertThat(this.trust.validate(leafOnly(this.nextIntermediate))).isNull();
	}

	@Test
	void bundleFileOfRootsOnlyTakesTheCasIntermediatesOncePerChange() throws Exception {
		start(List.of(root(this.first)));
		assertThat(this.fetches).hasValue(1);
		assertThat(this.trust.validate(leafOnly(this.first))).isNull();

		this.published
			.set(List.of(root(this.first), root(this.nextRoot), intermediate(this.first), intermediate(this.nextRoot)));
		writeBundle(List.of(root(this.first), root(this.nextRoot)));
		nextUpdate();
		assertThat(this.fetches).hasValue(2);
		assertThat(this.trust.validate(leafOnly(this.nextRoot))).isNull();
	}

	@Test
	void renewedOwnCertificateIsServedAtOnce() throws Exception {
		start(List.of(root(this.first), intermediate(this.first)));
		TestPki.Issued renewed = this.first.leaf("spiffe://td/ns/authz", "localhost");
		writeOwn(renewed);
		SslBundle updated = nextUpdate();
		assertThat(updated.getStores()
			.getKeyStore()
			.getCertificate(updated.getStores().getKeyStore().aliases().nextElement()))
			.isEqualTo(renewed.certificate());
	}

	private void start(List<X509Certificate> bundle) throws IOException {
		writeOwn(this.first.leaf("spiffe://td/ns/authz", "localhost"));
		writeBundle(bundle);
		this.source = PemFileCredentialSource.watch(this.dir.resolve("cert.pem"), this.dir.resolve("key.pem"),
				this.dir.resolve("bundle.pem"));
		CaClient ca = new CaClient(URI.create("https://ca.test"), this.source) {

			@Override
			List<X509Certificate> bundleWithIntermediates() {
				TrustBundleTest.this.fetches.incrementAndGet();
				return TrustBundleTest.this.published.get();
			}

		};
		this.trust = new TrustBundle(ca, this.source, properties());
		this.trust.registerBundles(new SslBundleRegistry() {

			@Override
			public void registerBundle(String name, SslBundle bundle) {
				assertThat(name).isEqualTo(TrustBundle.SSL_BUNDLE);
				TrustBundleTest.this.registered.set(bundle);
			}

			@Override
			public void updateBundle(String name, SslBundle bundle) {
				assertThat(name).isEqualTo(TrustBundle.SSL_BUNDLE);
				TrustBundleTest.this.updates.add(bundle);
			}

		});
	}

	private SslBundle nextUpdate() throws InterruptedException {
		SslBundle updated = this.updates.poll(5, TimeUnit.SECONDS);
		assertThat(updated).as("the connector's SSL bundle updated within 5 s of the write").isNotNull();
		return updated;
	}

	private static boolean trusts(SslBundle bundle, X509Certificate certificate) throws KeyStoreException {
		return bundle.getStores().getTrustStore().getCertificateAlias(certificate) != null;
	}

	private void writeBundle(List<X509Certificate> bundle) throws IOException {
		AtomicFiles.write(this.dir.resolve("bundle.pem"), Pem.write(bundle).getBytes(StandardCharsets.US_ASCII),
				AtomicFiles.PUBLIC_READ);
	}

	private void writeOwn(TestPki.Issued own) throws IOException {
		AtomicFiles.write(this.dir.resolve("key.pem"),
				Pem.write(own.keys().getPrivate()).getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
		AtomicFiles.write(this.dir.resolve("cert.pem"), Pem.write(own.chain()).getBytes(StandardCharsets.US_ASCII),
				AtomicFiles.PUBLIC_READ);
	}

	private static AuthzProperties properties() {
		return new AuthzProperties(URI.create("https://authz.test"), URI.create("https://ca.test"),
				new AuthzProperties.Credentials(Path.of("c"), Path.of("k"), Path.of("b")), Duration.ofMinutes(5),
				Duration.ofSeconds(30), Duration.ofHours(24), List.of(), Path.of("data"), null, null,
				Duration.ofSeconds(10), List.of(), List.of());
	}

	private static X509Certificate root(TestPki pki) {
		return pki.rootCredential().certificate();
	}

	private static X509Certificate intermediate(TestPki pki) {
		return pki.issuerCredential().certificate();
	}

	private static X509Certificate[] chain(TestPki pki) {
		return pki.leaf("spiffe://td/ns/web").chain().toArray(X509Certificate[]::new);
	}

	private static X509Certificate[] leafOnly(TestPki pki) {
		return new X509Certificate[] { pki.leaf("spiffe://td/ns/web").certificate() };
	}

}
