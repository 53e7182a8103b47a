package io.tether.authz;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.tether.pki.testing.TestPki;
import io.tether.workload.X509Credentials;
import org.junit.jupiter.api.Test;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleRegistry;

import static org.assertj.core.api.Assertions.assertThat;

class TrustBundleTest {

	private final MovableClock clock = new MovableClock();

	private final TestPki first = TestPki.root().intermediate();

	private final TestPki second = TestPki.root().intermediate();

	private final AtomicReference<List<X509Certificate>> published = new AtomicReference<>(bundle(this.first));

	private final AtomicReference<X509Credentials> own = new AtomicReference<>(credentials(this.first));

	private final List<String> updates = new ArrayList<>();

	private final AuthzProperties properties = new AuthzProperties(URI.create("https://authz.test"),
			URI.create("https://ca.test"), new AuthzProperties.Credentials(Path.of("c"), Path.of("k"), Path.of("b")),
			Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(24), List.of());

	private final CaClient ca = new CaClient(URI.create("https://ca.test"), this.own::get) {

		@Override
		List<X509Certificate> bundleWithIntermediates() {
			return TrustBundleTest.this.published.get();
		}

	};

	private final TrustBundle trust = new TrustBundle(this.ca, this.own::get, this.properties, this.clock);

	private final SslBundleRegistry registry = new SslBundleRegistry() {

		@Override
		public void registerBundle(String name, SslBundle bundle) {
			TrustBundleTest.this.updates.add("register " + name);
		}

		@Override
		public void updateBundle(String name, SslBundle bundle) {
			TrustBundleTest.this.updates.add("update " + name);
		}

	};

	private static List<X509Certificate> bundle(TestPki pki) {
		return List.of(pki.rootCredential().certificate(), pki.issuerCredential().certificate());
	}

	private static X509Credentials credentials(TestPki pki) {
		TestPki.Issued leaf = pki.leaf("spiffe://td/ns/authz", "localhost");
		return new X509Credentials(leaf.keys().getPrivate(), leaf.chain(), List.of(pki.rootCredential().certificate()));
	}

	private static X509Certificate[] chain(TestPki pki) {
		return pki.leaf("spiffe://td/ns/web").chain().toArray(X509Certificate[]::new);
	}

	@Test
	void clientChainsValidateAgainstTheCasRootsLeafOnlyIncluded() {
		this.trust.registerBundles(this.registry);
		assertThat(this.updates).containsExactly("register " + TrustBundle.SSL_BUNDLE);
		assertThat(this.trust.validate(chain(this.first))).isNull();
		assertThat(this.trust.validate(new X509Certificate[] { chain(this.first)[0] })).isNull();
		assertThat(this.trust.validate(chain(this.second))).isNotNull();
	}

	@Test
	void aNewBundleFromTheCaIsTrustedAtTheNextRefreshWithoutARestart() {
		this.trust.registerBundles(this.registry);
		this.published.set(bundle(this.second));
		this.trust.refresh();
		assertThat(this.updates).as("not due yet").hasSize(1);

		this.clock.advance(Duration.ofMinutes(6));
		this.trust.refresh();
		assertThat(this.updates).containsExactly("register " + TrustBundle.SSL_BUNDLE,
				"update " + TrustBundle.SSL_BUNDLE);
		assertThat(this.trust.validate(chain(this.second))).isNull();
		assertThat(this.trust.validate(chain(this.first))).isNotNull();
	}

	@Test
	void aRotatedOwnCertificateIsServedAtTheNextRefresh() {
		this.trust.registerBundles(this.registry);
		this.trust.refresh();
		assertThat(this.updates).hasSize(1);
		this.own.set(credentials(this.first));
		this.trust.refresh();
		assertThat(this.updates).last().isEqualTo("update " + TrustBundle.SSL_BUNDLE);
	}

}
