package io.tether.authz;

import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.tether.pki.Chains;
import io.tether.pki.Pkcs12;
import io.tether.workload.CredentialSource;
import io.tether.workload.X509Credentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.stereotype.Component;

/**
 * The Tether trust this server lives by and its own certificate, both from the agent's
 * files: the roots are the bundle file's self-signed certificates, the intermediates its
 * others (when it holds none, the CA's, fetched once per change). Both feed the HTTPS
 * connector's SSL bundle {@value #SSL_BUNDLE}, updated in place as soon as the credential
 * source reports a change, so a root or intermediate the agent writes is trusted, and one
 * it removes no longer is, without a restart and without polling. Intermediates are
 * trusted directly so that clients sending only their leaf are accepted.
 */
@Component
class TrustBundle implements SslBundleRegistrar, DisposableBean {

	static final String SSL_BUNDLE = "tether-authz";

	private static final Logger logger = LoggerFactory.getLogger(TrustBundle.class);

	private static final char[] STORE_PASSWORD = "in-memory".toCharArray();

	private static final int START_ATTEMPTS = 30;

	private record Trust(List<X509Certificate> roots, List<X509Certificate> intermediates, String origin) {
	}

	private final CaClient ca;

	private final CredentialSource credentials;

	private final URI caUrl;

	private volatile Trust trust;

	// guarded by this: what the connector was last given
	private X509Credentials served;

	private SslBundleRegistry registry;

	private CredentialSource.Subscription subscription;

	TrustBundle(CaClient ca, CredentialSource credentials, AuthzProperties properties) {
		this.ca = ca;
		this.credentials = credentials;
		this.caUrl = properties.caUrl();
	}

	@Override
	public synchronized void registerBundles(SslBundleRegistry registry) {
		// subscribed first: a change that lands meanwhile waits for this, then applies
		this.subscription = this.credentials.subscribe(this::changed);
		X509Credentials own = this.credentials.current();
		this.trust = trustAtStart(own.bundle());
		this.served = own;
		registry.registerBundle(SSL_BUNDLE, sslBundle(this.trust, own));
		this.registry = registry;
		logTrust("TLS ready", own, this.trust);
	}

	/**
	 * Validates a client chain (leaf first; the leaf alone is enough) against the roots,
	 * with the known intermediates as helpers, now.
	 * @param chain the chain the client presented
	 * @return why it does not validate, or {@code null} when it does
	 */
	String validate(X509Certificate[] chain) {
		Trust current = this.trust;
		return Chains.problem(Arrays.asList(chain), current.roots(), current.intermediates()).orElse(null);
	}

	/**
	 * Called by the credential source once a new certificate or bundle is current, on its
	 * watcher's thread.
	 */
	synchronized void changed(X509Credentials own) {
		if (this.registry == null || own == this.served) {
			return;
		}
		Trust previous = this.trust;
		Trust next = trust(own.bundle(), previous);
		this.trust = next;
		this.registry.updateBundle(SSL_BUNDLE, sslBundle(next, own));
		this.served = own;
		logTrust("TLS updated", own, next);
	}

	private Trust trustAtStart(List<X509Certificate> bundle) {
		Trust fromFile = fromFile(bundle);
		if (!fromFile.intermediates().isEmpty()) {
			return fromFile;
		}
		IOException last = null;
		for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
			try {
				return withCaIntermediates(fromFile);
			}
			catch (IOException ex) {
				last = ex;
				logger.warn("The bundle file holds no intermediate and the CA at {} cannot be asked yet ({}); retrying",
						this.caUrl, ex.getMessage());
				try {
					Thread.sleep(1000);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					break;
				}
			}
		}
		throw new IllegalStateException("Cannot fetch the intermediates from " + this.caUrl
				+ "; is the CA running and tether.authz.credentials a certificate of it?", last);
	}

	private Trust trust(List<X509Certificate> bundle, Trust previous) {
		Trust fromFile;
		try {
			fromFile = fromFile(bundle);
		}
		catch (IllegalStateException ex) {
			logger.warn("{}; still trusting the {} root(s) and {} intermediate(s) of before", ex.getMessage(),
					previous.roots().size(), previous.intermediates().size());
			return previous;
		}
		if (!fromFile.intermediates().isEmpty()) {
			return fromFile;
		}
		try {
			return withCaIntermediates(fromFile);
		}
		catch (IOException | RuntimeException ex) {
			// until the next change: the intermediates only help leaf-only clients to a
			// root
			logger.warn("Cannot fetch the intermediates from {} ({}); keeping the {} known with the new roots",
					this.caUrl, ex.getMessage(), previous.intermediates().size());
			return new Trust(fromFile.roots(), previous.intermediates(), "the bundle file, intermediates of before");
		}
	}

	private static Trust fromFile(List<X509Certificate> bundle) {
		List<X509Certificate> roots = bundle.stream().filter(TrustBundle::isSelfSigned).toList();
		if (roots.isEmpty()) {
			throw new IllegalStateException("The bundle file holds no self-signed root");
		}
		return new Trust(roots, bundle.stream().filter((c) -> !isSelfSigned(c)).toList(), "the bundle file");
	}

	private Trust withCaIntermediates(Trust fromFile) throws IOException {
		List<X509Certificate> intermediates = this.ca.bundleWithIntermediates()
			.stream()
			.filter((c) -> !isSelfSigned(c))
			.toList();
		return new Trust(fromFile.roots(), intermediates, "the bundle file, intermediates from " + this.caUrl);
	}

	/**
	 * Self-signed, not merely self-issued: every Tether root of a trust domain has the
	 * same name, so a root signed by its predecessor is an intermediate.
	 */
	private static boolean isSelfSigned(X509Certificate certificate) {
		if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
			return false;
		}
		try {
			certificate.verify(certificate.getPublicKey());
			return true;
		}
		catch (GeneralSecurityException ex) {
			return false;
		}
	}

	private static SslBundle sslBundle(Trust trust, X509Credentials own) {
		List<X509Certificate> trusted = new ArrayList<>(trust.roots());
		trusted.addAll(trust.intermediates());
		return SslBundle.of(SslStoreBundle.of(Pkcs12.keyStore(own.privateKey(), own.chain(), STORE_PASSWORD),
				new String(STORE_PASSWORD), Pkcs12.trustStore(trusted)));
	}

	private static void logTrust(String what, X509Credentials own, Trust trust) {
		logger.info("{}: serving certificate {} (valid until {}), trusting {} root(s) and {} intermediate(s) from {}",
				what, own.leaf().getSerialNumber().toString(16), own.leaf().getNotAfter().toInstant(),
				trust.roots().size(), trust.intermediates().size(), trust.origin());
	}

	@Override
	public synchronized void destroy() {
		if (this.subscription != null) {
			this.subscription.close();
		}
	}

}
