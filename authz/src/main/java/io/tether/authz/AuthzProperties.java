package io.tether.authz;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tether.authz.*}.
 *
 * @param issuer the {@code iss} of tokens and the metadata's issuer (this server's URL)
 * @param caUrl the Tether CA, for certificate status (and the intermediates, when the
 * agent's bundle file holds only roots)
 * @param credentials this server's own Tether identity (agent-written PEM files), used
 * for its TLS and to ask the CA
 * @param tokenTtl access token lifetime; never beyond the client certificate's notAfter
 * @param statusCacheTtl how long a certificate status from the CA is reused
 * @param signingKeyRotation how often a new token signing key is made
 * @param clients which SPIFFE IDs are OAuth clients, and what they may ask for
 * @param dataDir where the embedded database (and its generated KEK) live
 * @param kek base64 of the 32-byte key-encryption key that seals the signing keys in the
 * database ({@code TETHER_AUTHZ_KEK})
 * @param kekFile a file holding it, instead
 * @param keyReload how often each instance reads the signing keys from the database (and
 * how often the rotation job looks whether one is due)
 */
@ConfigurationProperties("tether.authz")
public record AuthzProperties(URI issuer, URI caUrl, Credentials credentials, @DefaultValue("PT5M") Duration tokenTtl,
		@DefaultValue("PT30S") Duration statusCacheTtl, @DefaultValue("PT24H") Duration signingKeyRotation,
		@DefaultValue List<ClientRule> clients, @DefaultValue("./authz-data") Path dataDir, String kek, Path kekFile,
		@DefaultValue("PT10S") Duration keyReload) {

	public AuthzProperties {
		require(issuer, "tether.authz.issuer");
		require(caUrl, "tether.authz.ca-url");
		require(credentials, "tether.authz.credentials");
		if (tokenTtl.isNegative() || tokenTtl.isZero()) {
			throw new IllegalArgumentException("tether.authz.token-ttl must be positive");
		}
		clients = List.copyOf(clients);
		if (signingKeyRotation.isNegative() || signingKeyRotation.isZero()) {
			throw new IllegalArgumentException("tether.authz.signing-key-rotation must be positive");
		}
		if (keyReload.isNegative() || keyReload.isZero()) {
			throw new IllegalArgumentException("tether.authz.key-reload must be positive");
		}
	}

	private static void require(Object value, String name) {
		if (value == null) {
			throw new IllegalArgumentException(name + " is required");
		}
	}

	/**
	 * The agent-written files of this server's own certificate.
	 *
	 * @param certificate PEM chain, leaf first
	 * @param key PEM private key
	 * @param bundle PEM trust bundle
	 */
	public record Credentials(Path certificate, Path key, Path bundle) {

		public Credentials {
			require(certificate, "tether.authz.credentials.certificate");
			require(key, "tether.authz.credentials.key");
			require(bundle, "tether.authz.credentials.bundle");
		}

	}

	/**
	 * An OAuth client: a workload whose SPIFFE ID equals {@code spiffeId}, or starts with
	 * {@code spiffeIdPrefix}.
	 *
	 * @param spiffeId exact SPIFFE ID, or {@code null}
	 * @param spiffeIdPrefix a path prefix such as {@code spiffe://td/ns/payments/}, or
	 * {@code null}
	 * @param scopes the scopes it may be granted
	 * @param audiences the {@code aud} of its tokens (the resource servers)
	 */
	public record ClientRule(String spiffeId, String spiffeIdPrefix, @DefaultValue List<String> scopes,
			@DefaultValue List<String> audiences) {

		public ClientRule {
			if ((spiffeId == null) == (spiffeIdPrefix == null)) {
				throw new IllegalArgumentException(
						"each tether.authz.clients entry needs exactly one of spiffe-id or spiffe-id-prefix");
			}
			if (spiffeIdPrefix != null && !spiffeIdPrefix.endsWith("/")) {
				throw new IllegalArgumentException("tether.authz.clients spiffe-id-prefix '" + spiffeIdPrefix
						+ "' must end with '/', so that /ns/pay does not also match /ns/payroll");
			}
			scopes = List.copyOf(scopes);
			audiences = List.copyOf(audiences);
		}

		boolean matches(String id) {
			return (this.spiffeId != null) ? this.spiffeId.equals(id) : id.startsWith(this.spiffeIdPrefix);
		}

		int specificity() {
			return (this.spiffeId != null) ? Integer.MAX_VALUE : this.spiffeIdPrefix.length();
		}

	}

}
