package io.tether.workload.revocation;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import io.tether.pki.CryptoProviders;

/**
 * A trust manager that first lets another one validate the peer's chain (PKIX), and then
 * asks whether the peer's certificate is revoked, on both sides: a server checking its
 * clients and a client checking its server. A revoked peer fails the handshake with a
 * {@link RevokedCertificateException}; what happens when no answer can be had is the
 * checker's {@link FailMode}.
 * <p>
 * Only the peer's own certificate is checked, against the authority that issued it: the
 * issuer sent in the chain when its key verifies the peer's signature, else the one in
 * the trusted bundle that does. An authority is withdrawn by leaving the bundle, not by
 * revocation. A peer whose certificate is itself trusted directly (a self-signed one in
 * the bundle) has no issuer to ask and is not checked.
 * <p>
 * The check may block a handshake for up to the connect plus read timeout when its answer
 * is not cached. Thread-safe.
 */
public final class RevocationCheckingTrustManager extends X509ExtendedTrustManager {

	private final X509ExtendedTrustManager delegate;

	private final RevocationChecker checker;

	/**
	 * Creates the trust manager.
	 * @param delegate what validates chains first
	 * @param checker what checks revocation after
	 * @throws NullPointerException if either is {@code null}
	 */
	public RevocationCheckingTrustManager(X509ExtendedTrustManager delegate, RevocationChecker checker) {
		this.delegate = Objects.requireNonNull(delegate, "'delegate' must not be null");
		this.checker = Objects.requireNonNull(checker, "'checker' must not be null");
	}

	/**
	 * The revocation checker, to look into its settings.
	 * @return the checker
	 */
	public RevocationChecker checker() {
		return this.checker;
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		this.delegate.checkClientTrusted(chain, authType);
		checkRevocation(chain);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
			throws CertificateException {
		this.delegate.checkClientTrusted(chain, authType, socket);
		checkRevocation(chain);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		this.delegate.checkClientTrusted(chain, authType, engine);
		checkRevocation(chain);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		this.delegate.checkServerTrusted(chain, authType);
		checkRevocation(chain);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
			throws CertificateException {
		this.delegate.checkServerTrusted(chain, authType, socket);
		checkRevocation(chain);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		this.delegate.checkServerTrusted(chain, authType, engine);
		checkRevocation(chain);
	}

	@Override
	public X509Certificate[] getAcceptedIssuers() {
		return this.delegate.getAcceptedIssuers();
	}

	private void checkRevocation(X509Certificate[] chain) throws CertificateException {
		X509Certificate peer = chain[0];
		X509Certificate issuer = issuer(peer, chain);
		if (issuer != null) {
			this.checker.enforce(peer, issuer);
		}
	}

	/**
	 * The certificate whose key verifies the peer's signature: the chain's next
	 * certificates first (PKIX has just validated them), then the trusted bundle.
	 * @return the issuer; {@code null} when the peer is trusted directly
	 */
	private X509Certificate issuer(X509Certificate peer, X509Certificate[] chain) throws CertificateException {
		List<X509Certificate> candidates = new ArrayList<>(List.of(chain).subList(1, chain.length));
		candidates.addAll(List.of(this.delegate.getAcceptedIssuers()));
		for (X509Certificate candidate : candidates) {
			if (!candidate.equals(peer) && candidate.getSubjectX500Principal().equals(peer.getIssuerX500Principal())
					&& signedBy(peer, candidate)) {
				return candidate;
			}
		}
		for (X509Certificate trusted : this.delegate.getAcceptedIssuers()) {
			if (trusted.equals(peer)) {
				return null;
			}
		}
		throw new CertificateException("Cannot find the issuer of certificate serial "
				+ peer.getSerialNumber().toString(16) + " to check its revocation");
	}

	private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
		try {
			certificate.verify(issuer.getPublicKey(), CryptoProviders.bouncyCastle());
			return true;
		}
		catch (GeneralSecurityException ex) {
			return false;
		}
	}

}
