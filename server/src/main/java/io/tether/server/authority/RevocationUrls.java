package io.tether.server.authority;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Optional;

import io.tether.pki.KeyIdentifiers;
import io.tether.pki.RevocationPointers;
import io.tether.server.TetherProperties;

/**
 * Where relying parties fetch CRLs and ask OCSP: {@code tether.revocation.base-url}, or
 * else {@code http://} the server's first DNS name (or this host's name) and the
 * plain-HTTP port. Each authority's CRL is at {@code /crl/<its key id>.crl}, so that a
 * relying party finds the one for a certificate from the certificate's authority key
 * identifier; the responder is at {@code /ocsp}.
 */
public final class RevocationUrls {

	private final TetherProperties.Revocation settings;

	private final String base;

	/**
	 * Resolves the base URL from the settings.
	 * @param properties the server's settings
	 */
	public RevocationUrls(TetherProperties properties) {
		this.settings = properties.revocation();
		this.base = base(properties);
	}

	/**
	 * The base URL, when relying parties can be told one: not when the plain-HTTP
	 * listener is off or on a random port and no base URL is set.
	 * @return the base URL, without a trailing slash
	 */
	public Optional<String> base() {
		return Optional.ofNullable(this.base);
	}

	/**
	 * The path of an authority's CRL.
	 * @param keyId the authority's subject key identifier, lowercase hex
	 * @return {@code /crl/<keyId>.crl}
	 */
	public static String crlPath(String keyId) {
		return "/crl/" + keyId + ".crl";
	}

	/**
	 * The CRL URL of an authority, when there is a base URL.
	 * @param authority the authority's certificate
	 * @return its CRL's URL
	 */
	public Optional<String> crlUrl(X509Certificate authority) {
		byte[] keyId = KeyIdentifiers.subjectKeyIdentifier(authority);
		return base().filter((unused) -> keyId != null).map((url) -> url + crlPath(KeyIdentifiers.hex(keyId)));
	}

	/**
	 * The OCSP responder's URL, when there is a base URL.
	 * @return its URL
	 */
	public Optional<String> ocspUrl() {
		return base().map((url) -> url + "/ocsp");
	}

	RevocationPointers forIntermediate(X509Certificate root) {
		return new RevocationPointers(this.settings.crlInIntermediates() ? crlUrl(root).orElse(null) : null, null);
	}

	RevocationPointers forLeaf(X509Certificate intermediate) {
		return new RevocationPointers(this.settings.crlInLeaves() ? crlUrl(intermediate).orElse(null) : null,
				this.settings.ocspInLeaves() ? ocspUrl().orElse(null) : null);
	}

	private static String base(TetherProperties properties) {
		TetherProperties.Revocation settings = properties.revocation();
		if (settings.baseUrl() != null) {
			return settings.baseUrl().replaceAll("/+$", "");
		}
		if (settings.httpPort() <= 0) {
			return null;
		}
		return "http://" + host(properties) + ":" + settings.httpPort();
	}

	private static String host(TetherProperties properties) {
		if (!properties.server().dnsNames().isEmpty()) {
			return properties.server().dnsNames().get(0);
		}
		try {
			String host = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
			if (host.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
				return host;
			}
		}
		catch (UnknownHostException ex) {
			// localhost then
		}
		return "localhost";
	}

}
