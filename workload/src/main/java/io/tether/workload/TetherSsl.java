package io.tether.workload;

import java.security.GeneralSecurityException;
import java.util.Objects;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import io.tether.workload.revocation.RevocationChecking;
import io.tether.workload.revocation.RevocationCheckingTrustManager;

/**
 * Builds an {@link SSLContext} over a {@link CredentialSource}: every new handshake, as
 * client or server, presents the current certificate and trusts the current bundle, with
 * no restart. Connections already open keep the credentials they were made with. <pre>
 * PemFileCredentialSource source = PemFileCredentialSource.watch(cert, key, bundle);
 * SSLContext context = TetherSsl.context(source);
 * </pre> With revocation checking of peers (both sides: a server's clients, a client's
 * server), opted into with the CA's revocation base URL: <pre>
 * SSLContext context = TetherSsl.context(source,
 * 		RevocationChecking.ocsp(URI.create("http://ca.example:8480")).failClosed());
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
		return context(source, new ReloadingTrustManager(source));
	}

	/**
	 * Creates a TLS context over a credential source that also refuses revoked peers:
	 * after the usual chain validation, each peer's certificate is checked by OCSP or CRL
	 * as {@code revocation} says (see {@link RevocationCheckingTrustManager}). The
	 * context has its own checker, with its own cache.
	 * @param source the credentials
	 * @param revocation how to check revocation
	 * @return an initialized context
	 * @throws NullPointerException if {@code revocation} is {@code null}
	 * @throws IllegalStateException if the JVM offers no TLS
	 */
	public static SSLContext context(CredentialSource source, RevocationChecking revocation) {
		Objects.requireNonNull(revocation, "'revocation' must not be null");
		return context(source,
				new RevocationCheckingTrustManager(new ReloadingTrustManager(source), revocation.newChecker()));
	}

	private static SSLContext context(CredentialSource source, X509ExtendedTrustManager trustManager) {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(new KeyManager[] { new ReloadingKeyManager(source) }, new TrustManager[] { trustManager },
					null);
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
