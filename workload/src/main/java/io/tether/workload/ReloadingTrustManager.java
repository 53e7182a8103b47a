package io.tether.workload;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import io.tether.pki.Pkcs12;

/**
 * A trust manager that validates peers (PKIX, the JDK's own) against the bundle the
 * {@link CredentialSource} holds at the moment of each handshake. The PKIX trust manager
 * for a bundle is built once per bundle and shared by handshakes.
 * <p>
 * Thread-safe.
 */
public final class ReloadingTrustManager extends X509ExtendedTrustManager {

	private final CredentialSource source;

	private volatile Cached cached;

	private record Cached(List<X509Certificate> bundle, X509ExtendedTrustManager delegate) {
	}

	/**
	 * Creates the trust manager.
	 * @param source where the current bundle comes from
	 */
	public ReloadingTrustManager(CredentialSource source) {
		this.source = source;
	}

	private X509ExtendedTrustManager delegate() {
		List<X509Certificate> bundle = this.source.current().bundle();
		Cached current = this.cached;
		if (current == null || !current.bundle().equals(bundle)) {
			current = new Cached(bundle, build(bundle));
			this.cached = current;
		}
		return current.delegate();
	}

	private static X509ExtendedTrustManager build(List<X509Certificate> bundle) {
		try {
			TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			factory.init(Pkcs12.trustStore(bundle));
			for (TrustManager manager : factory.getTrustManagers()) {
				if (manager instanceof X509ExtendedTrustManager extended) {
					return extended;
				}
			}
			throw new IllegalStateException("The JDK offers no X509ExtendedTrustManager");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot build a trust manager for the bundle: " + ex.getMessage(), ex);
		}
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		delegate().checkClientTrusted(chain, authType);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
			throws CertificateException {
		delegate().checkClientTrusted(chain, authType, socket);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		delegate().checkClientTrusted(chain, authType, engine);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		delegate().checkServerTrusted(chain, authType);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
			throws CertificateException {
		delegate().checkServerTrusted(chain, authType, socket);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		delegate().checkServerTrusted(chain, authType, engine);
	}

	@Override
	public X509Certificate[] getAcceptedIssuers() {
		return this.source.current().bundle().toArray(X509Certificate[]::new);
	}

}
