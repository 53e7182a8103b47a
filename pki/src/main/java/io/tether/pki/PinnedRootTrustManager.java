package io.tether.pki;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a server on first contact only through the root CA fingerprint carried by a
 * one-time token (an agent's join token, an operator's enrollment token): the server's
 * chain must contain a self-signed CA whose SHA-256 is the pin, and the rest of the chain
 * must validate (PKIX) up to it. Host names are not checked: the pin, not DNS, is what
 * identifies the CA here. It keeps the server's leaf, whose SPIFFE ID names the trust
 * domain.
 */
public final class PinnedRootTrustManager extends X509ExtendedTrustManager {

	private final String pin;

	private final String token;

	private volatile X509Certificate serverLeaf;

	/**
	 * @param rootSha256 the pinned root's SHA-256, hex
	 * @param token what carried the pin, for messages ("join token")
	 */
	public PinnedRootTrustManager(String rootSha256, String token) {
		this.pin = rootSha256.toLowerCase(Locale.ROOT);
		this.token = token;
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		X509Certificate root = Arrays.stream(chain)
			.filter((certificate) -> this.pin.equals(Thumbprints.sha256Hex(certificate)))
			.findFirst()
			.orElseThrow(() -> new Untrusted("The server's chain does not contain the root CA pinned by the "
					+ this.token + " (SHA-256 " + this.pin + "): wrong server, or a token from another CA"));
		try {
			root.verify(root.getPublicKey());
			X509Certificate[] path = Arrays.stream(chain)
				.filter((certificate) -> certificate != root)
				.toArray(X509Certificate[]::new);
			PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
			parameters.setRevocationEnabled(false);
			CertPathValidator.getInstance("PKIX")
				.validate(CertificateFactory.getInstance("X.509").generateCertPath(Arrays.asList(path)), parameters);
		}
		catch (GeneralSecurityException ex) {
			throw new Untrusted("The server's chain does not validate to the pinned root: " + ex.getMessage(), ex);
		}
		this.serverLeaf = chain[0];
	}

	/** The server's certificate, once a handshake trusted it; else {@code null}. */
	public X509Certificate serverLeaf() {
		return this.serverLeaf;
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
			throws CertificateException {
		checkServerTrusted(chain, authType);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		checkServerTrusted(chain, authType);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		throw new CertificateException("Not a server");
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
			throws CertificateException {
		throw new CertificateException("Not a server");
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		throw new CertificateException("Not a server");
	}

	@Override
	public X509Certificate[] getAcceptedIssuers() {
		return new X509Certificate[0];
	}

	/**
	 * The server is not the CA the token pins: unlike an outage, waiting does not change
	 * that.
	 */
	public static final class Untrusted extends CertificateException {

		private static final long serialVersionUID = 1L;

		Untrusted(String message) {
			super(message);
		}

		Untrusted(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
