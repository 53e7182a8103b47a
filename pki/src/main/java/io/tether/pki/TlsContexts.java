package io.tether.pki;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS client contexts for talking to the Tether server with a Tether certificate.
 */
public final class TlsContexts {

	private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();

	private TlsContexts() {
	}

	/**
	 * An {@link SSLContext} that presents {@code chain} with {@code key} and trusts only
	 * {@code trustAnchors}: the JDK's default trust store plays no part.
	 * @param key the private key of the chain's leaf
	 * @param chain the client certificate chain, leaf first
	 * @param trustAnchors the certificates a peer's chain must lead to
	 * @return the context
	 * @throws PkiException if the key or certificates cannot be used
	 */
	public static SSLContext mutual(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trustAnchors) {
		try {
			KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keys.init(Pkcs12.keyStore(key, chain, IN_MEMORY_PASSWORD), IN_MEMORY_PASSWORD);
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(Pkcs12.trustStore(trustAnchors));
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new PkiException("Cannot set up TLS with this certificate and key: " + ex.getMessage(), ex);
		}
	}

	/**
	 * An {@link SSLContext} that presents no certificate and trusts only
	 * {@code trustAnchors}.
	 * @param trustAnchors the certificates a peer's chain must lead to
	 * @return the context
	 * @throws PkiException if the certificates cannot be used
	 */
	public static SSLContext trusting(List<X509Certificate> trustAnchors) {
		try {
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(Pkcs12.trustStore(trustAnchors));
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new PkiException("Cannot set up TLS with these trust anchors: " + ex.getMessage(), ex);
		}
	}

}
