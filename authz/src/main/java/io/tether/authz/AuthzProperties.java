package io.tether.authz;

import java.net.URI;
import java.net.URISyntaxException;
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
 * @param publicClients clients without credentials (a CLI, a single-page or mobile app):
 * a person signs in, and their tokens are always DPoP-bound
 * @param users the people who may sign in for a public client
 */
@ConfigurationProperties("tether.authz")
public record AuthzProperties(URI issuer, URI caUrl, Credentials credentials, @DefaultValue("PT5M") Duration tokenTtl,
		@DefaultValue("PT30S") Duration statusCacheTtl, @DefaultValue("PT24H") Duration signingKeyRotation,
		@DefaultValue List<ClientRule> clients, @DefaultValue("./authz-data") Path dataDir, String kek, Path kekFile,
		@DefaultValue("PT10S") Duration keyReload, @DefaultValue List<PublicClient> publicClients,
		@DefaultValue List<User> users) {

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
		publicClients = List.copyOf(publicClients);
		users = List.copyOf(users);
		if (!publicClients.isEmpty() && users.isEmpty()) {
			throw new IllegalArgumentException(
					"tether.authz.public-clients need tether.authz.users: a public client's tokens are a person's");
		}
		requireUnique(publicClients.stream().map(PublicClient::clientId).toList(), "tether.authz.public-clients");
		requireUnique(users.stream().map(User::name).toList(), "tether.authz.users");
	}

	private static void requireUnique(List<String> names, String property) {
		if (names.stream().distinct().count() != names.size()) {
			throw new IllegalArgumentException(property + " name the same one twice: " + names);
		}
	}

	/**
	 * A name that can never be taken for a workload's: non-blank, of printable ASCII,
	 * without a colon (so never a SPIFFE ID, which the resource servers may trust as a
	 * {@code sub}).
	 */
	private static String requirePlainName(String name, String property) {
		if (name == null || name.isBlank() || name.length() > 64 || !name.chars().allMatch((c) -> c > 32 && c < 127)
				|| name.indexOf(':') >= 0) {
			throw new IllegalArgumentException(property + " '" + name
					+ "' must be 1 to 64 printable ASCII characters without spaces or ':' (never a SPIFFE ID)");
		}
		return name;
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

	/**
	 * A public client (RFC 6749 §2.1): no credentials of its own, so it gets tokens only
	 * for a person who signs in (authorization code with PKCE, RFC 7636), redirected back
	 * to a loopback address (any port, RFC 8252 §7.3) or an {@code https} URL, and only
	 * DPoP-bound (RFC 9449).
	 *
	 * @param clientId its {@code client_id}, such as {@code tether-cli}
	 * @param redirectUris where the sign-in may return to
	 * @param scopes the scopes it may ask for
	 * @param audiences the {@code aud} of its tokens
	 * @param tokenTtl access token lifetime, or {@code null} for
	 * {@code tether.authz.token-ttl}
	 */
	public record PublicClient(String clientId, @DefaultValue("http://127.0.0.1/callback") List<String> redirectUris,
			@DefaultValue List<String> scopes, @DefaultValue List<String> audiences, Duration tokenTtl) {

		public PublicClient {
			requirePlainName(clientId, "tether.authz.public-clients client-id");
			redirectUris = List.copyOf(redirectUris);
			if (redirectUris.isEmpty()) {
				throw new IllegalArgumentException(
						"tether.authz.public-clients '" + clientId + "' needs redirect-uris");
			}
			redirectUris.forEach((uri) -> requireRedirectUri(clientId, uri));
			scopes = List.copyOf(scopes);
			audiences = List.copyOf(audiences);
			if (tokenTtl != null && (tokenTtl.isNegative() || tokenTtl.isZero())) {
				throw new IllegalArgumentException(
						"tether.authz.public-clients '" + clientId + "' token-ttl must be positive");
			}
		}

		private static void requireRedirectUri(String clientId, String text) {
			URI uri;
			try {
				uri = new URI(text);
			}
			catch (URISyntaxException ex) {
				throw new IllegalArgumentException(
						"tether.authz.public-clients '" + clientId + "' redirect-uri '" + text + "' is not a URI");
			}
			boolean loopback = "http".equals(uri.getScheme())
					&& ("127.0.0.1".equals(uri.getHost()) || "[::1]".equals(uri.getHost()));
			boolean https = "https".equals(uri.getScheme()) && uri.getHost() != null;
			if (!(loopback || https) || uri.getFragment() != null) {
				throw new IllegalArgumentException("tether.authz.public-clients '" + clientId + "' redirect-uri '"
						+ text + "' must be http://127.0.0.1/..., http://[::1]/... (the port is the client's choice) "
						+ "or an https URL, without a fragment");
			}
		}

	}

	/**
	 * A person who may sign in for a public client.
	 *
	 * @param name the sign-in name, the {@code sub} of their tokens
	 * @param password the password's hash in Spring Security's {@code {id}hash} form,
	 * such as {@code {bcrypt}$2b$12$...} ({@code tether password-hash} makes one); plain
	 * text is refused
	 * @param scopes the scopes their tokens may carry (empty: any the client may ask for)
	 */
	public record User(String name, String password, @DefaultValue List<String> scopes) {

		private static final List<String> HASHES = List.of("{bcrypt}", "{argon2@SpringSecurity_v5_8}",
				"{pbkdf2@SpringSecurity_v5_8}", "{scrypt@SpringSecurity_v5_8}");

		public User {
			requirePlainName(name, "tether.authz.users name");
			if (password == null || HASHES.stream().noneMatch(password::startsWith)) {
				throw new IllegalArgumentException("tether.authz.users '" + name
						+ "' password must be a hash such as {bcrypt}$2b$12$... (make one with tether password-hash)");
			}
			scopes = List.copyOf(scopes);
		}

		@Override
		public String toString() {
			return "User[name=" + this.name + ", scopes=" + this.scopes + "]";
		}

	}

}
