package io.tether.authz;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.tether.pki.Chains;
import io.tether.pki.Pkcs12;
import io.tether.workload.CredentialSource;
import io.tether.workload.X509Credentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The Tether trust this server lives by: the roots and the active intermediate, fetched
 * from the CA at start and again every {@code bundle-refresh} (so a new root or
 * intermediate is trusted without a restart), and this server's own certificate from the
 * agent's files. Both feed the HTTPS connector's SSL bundle {@value #SSL_BUNDLE}, which
 * is updated in place when either changes. The intermediate is trusted directly so that
 * clients sending only their leaf are accepted.
 */
@Component
class TrustBundle implements SslBundleRegistrar {

	static final String SSL_BUNDLE = "tether-authz";

	private static final Logger logger = LoggerFactory.getLogger(TrustBundle.class);

	private static final char[] STORE_PASSWORD = "in-memory".toCharArray();

	private record Snapshot(List<X509Certificate> roots, List<X509Certificate> intermediates, Instant fetchedAt) {
	}

	private final CaClient ca;

	private final CredentialSource credentials;

	private final AuthzProperties properties;

	private final Clock clock;

	private volatile Snapshot snapshot;

	private volatile X509Credentials served;

	private volatile SslBundleRegistry registry;

	TrustBundle(CaClient ca, CredentialSource credentials, AuthzProperties properties, Clock clock) {
		this.ca = ca;
		this.credentials = credentials;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public void registerBundles(SslBundleRegistry registry) {
		this.snapshot = fetchAtStart();
		this.served = this.credentials.current();
		registry.registerBundle(SSL_BUNDLE, sslBundle(this.snapshot, this.served));
		this.registry = registry;
	}

	/**
	 * Validates a client chain (leaf first; the leaf alone is enough) against the roots,
	 * with the known intermediates as helpers, now.
	 * @param chain the chain the client presented
	 * @return why it does not validate, or {@code null} when it does
	 */
	String validate(X509Certificate[] chain) {
		Snapshot current = this.snapshot;
		return Chains.problem(Arrays.asList(chain), current.roots(), current.intermediates()).orElse(null);
	}

	@Scheduled(fixedDelayString = "PT5S", initialDelayString = "PT5S")
	void refresh() {
		SslBundleRegistry current = this.registry;
		if (current == null) {
			return;
		}
		Snapshot trust = this.snapshot;
		boolean changed = false;
		if (this.clock.instant().isAfter(trust.fetchedAt().plus(this.properties.bundleRefresh()))) {
			try {
				Snapshot fetched = fetch();
				changed = !fetched.roots().equals(trust.roots())
						|| !fetched.intermediates().equals(trust.intermediates());
				trust = fetched;
				this.snapshot = fetched;
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("Cannot refresh the trust bundle from {} ({}); keeping the one from {}",
						this.properties.caUrl(), ex.getMessage(), trust.fetchedAt());
			}
		}
		X509Credentials own = this.credentials.current();
		if (own != this.served) {
			changed = true;
		}
		if (changed) {
			current.updateBundle(SSL_BUNDLE, sslBundle(trust, own));
			this.served = own;
			logger.info(
					"TLS updated: serving certificate {} (valid until {}), trusting {} root(s) and {} intermediate(s)",
					own.leaf().getSerialNumber().toString(16), own.leaf().getNotAfter().toInstant(),
					trust.roots().size(), trust.intermediates().size());
		}
	}

	private Snapshot fetchAtStart() {
		IOException last = null;
		for (int attempt = 0; attempt < 30; attempt++) {
			try {
				return fetch();
			}
			catch (IOException ex) {
				last = ex;
				logger.warn("Trust bundle not available from {} yet ({}); retrying", this.properties.caUrl(),
						ex.getMessage());
				try {
					Thread.sleep(1000);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					break;
				}
			}
		}
		throw new IllegalStateException("Cannot fetch the trust bundle from " + this.properties.caUrl()
				+ "; is the CA running and tether.authz.credentials a certificate of it?", last);
	}

	private Snapshot fetch() throws IOException {
		List<X509Certificate> certificates = this.ca.bundleWithIntermediates();
		List<X509Certificate> roots = certificates.stream().filter(TrustBundle::isSelfIssued).toList();
		List<X509Certificate> intermediates = certificates.stream().filter((c) -> !isSelfIssued(c)).toList();
		if (roots.isEmpty()) {
			throw new IOException("The CA's bundle holds no root");
		}
		return new Snapshot(roots, intermediates, this.clock.instant());
	}

	private static boolean isSelfIssued(X509Certificate certificate) {
		return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
	}

	private static SslBundle sslBundle(Snapshot trust, X509Credentials own) {
		List<X509Certificate> trusted = new ArrayList<>(trust.roots());
		trusted.addAll(trust.intermediates());
		return SslBundle.of(SslStoreBundle.of(Pkcs12.keyStore(own.privateKey(), own.chain(), STORE_PASSWORD),
				new String(STORE_PASSWORD), Pkcs12.trustStore(trusted)));
	}

}
