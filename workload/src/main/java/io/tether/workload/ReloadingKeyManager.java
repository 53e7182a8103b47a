package io.tether.workload;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager with one alias whose key and chain are whatever the
 * {@link CredentialSource} holds at the moment of each handshake. It keeps no state.
 * <p>
 * Thread-safe.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {

	private static final String ALIAS = "tether";

	private final CredentialSource source;

	/**
	 * Creates the key manager.
	 * @param source where the current credentials come from
	 */
	public ReloadingKeyManager(CredentialSource source) {
		this.source = source;
	}

	@Override
	public String[] getClientAliases(String keyType, Principal[] issuers) {
		return new String[] { ALIAS };
	}

	@Override
	public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
		return ALIAS;
	}

	@Override
	public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
		return ALIAS;
	}

	@Override
	public String[] getServerAliases(String keyType, Principal[] issuers) {
		return new String[] { ALIAS };
	}

	@Override
	public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
		return ALIAS;
	}

	@Override
	public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
		return ALIAS;
	}

	@Override
	public X509Certificate[] getCertificateChain(String alias) {
		return this.source.current().chain().toArray(X509Certificate[]::new);
	}

	@Override
	public PrivateKey getPrivateKey(String alias) {
		return this.source.current().privateKey();
	}

}
