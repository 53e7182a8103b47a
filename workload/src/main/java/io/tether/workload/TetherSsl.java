package io.tether.workload;

import java.security.GeneralSecurityException;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Builds an {@link SSLContext} over a {@link CredentialSource}: every new handshake, as
 * client or server, presents the current certificate and trusts the current bundle, with
 * no restart. Connections already open keep the credentials they were made with. <pre>
 * PemFileCredentialSource source = PemFileCredentialSource.watch(cert, key, bundle);
 * SSLContext context = TetherSsl.context(source);
 * </pre>
 */
public final class TetherSsl {

	private TetherSsl() {
	}

	/**
	 * Creates a TLS context over a credential source.
	 * @param source the credentials
	 * @return an initialized context
	 * @throws IllegalStateException if the JVM offers no TLS
	 */
	public static SSLContext context(CredentialSource source) {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(new KeyManager[] { new ReloadingKeyManager(source) },
					new TrustManager[] { new ReloadingTrustManager(source) }, null);
			// a resumed session skips the certificate exchange: sessions expire after a
			// second, so a resumed connection cannot keep an old certificate for long
			context.getServerSessionContext().setSessionTimeout(1);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot create a TLS context: " + ex.getMessage(), ex);
		}
	}

}
