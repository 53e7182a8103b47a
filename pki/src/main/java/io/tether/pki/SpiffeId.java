package io.tether.pki;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A SPIFFE ID, {@code spiffe://<trust-domain><path>}, validated as the SPIFFE ID
 * specification requires:
 * <ul>
 * <li>the scheme is exactly {@code spiffe} and is followed by {@code //};</li>
 * <li>the trust domain is 1 to 255 characters of {@code a-z 0-9 . - _} (lower case only),
 * with no port and no user info;</li>
 * <li>the path is empty or a sequence of {@code /segment}, each segment one or more of
 * {@code a-z A-Z 0-9 . - _}, never {@code .} or {@code ..}, no empty segment and no
 * trailing {@code /}; percent-encoding is not allowed;</li>
 * <li>no query and no fragment;</li>
 * <li>at most 2048 bytes in all.</li>
 * </ul>
 * Instances are immutable and compare by value.
 *
 * @param trustDomain the trust domain name, such as {@code prod.example}
 * @param path the path, empty or starting with {@code /}
 */
public record SpiffeId(String trustDomain, String path) {

	/** The longest SPIFFE ID, in bytes, that the specification allows. */
	public static final int MAX_LENGTH = 2048;

	/** The longest trust domain name, in characters. */
	public static final int MAX_TRUST_DOMAIN_LENGTH = 255;

	private static final String PREFIX = "spiffe://";

	private static final int URI_SAN = 6;

	/**
	 * Creates a SPIFFE ID from its parts, validating both.
	 * @param trustDomain the trust domain name
	 * @param path the path, empty or starting with {@code /}
	 * @throws InvalidSpiffeIdException if either part breaks a rule
	 */
	public SpiffeId {
		validateTrustDomain(trustDomain);
		validatePath(path);
		if (PREFIX.length() + trustDomain.length() + path.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
			throw new InvalidSpiffeIdException("SPIFFE ID is longer than " + MAX_LENGTH + " bytes");
		}
	}

	/**
	 * Parses and validates a SPIFFE ID.
	 * @param value the text, such as {@code spiffe://prod.example/ns/web/sa/frontend}
	 * @return the SPIFFE ID
	 * @throws InvalidSpiffeIdException naming the rule the value breaks
	 */
	public static SpiffeId parse(String value) {
		if (value == null || value.isEmpty()) {
			throw new InvalidSpiffeIdException("SPIFFE ID must not be empty");
		}
		if (value.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
			throw new InvalidSpiffeIdException("SPIFFE ID is longer than " + MAX_LENGTH + " bytes");
		}
		int colon = value.indexOf(':');
		if (colon < 0 || !value.substring(0, colon).equals("spiffe")) {
			throw new InvalidSpiffeIdException(
					"SPIFFE ID must start with the scheme 'spiffe://' (lower case): '" + abbreviate(value) + "'");
		}
		if (!value.startsWith(PREFIX)) {
			throw new InvalidSpiffeIdException("SPIFFE ID must have '//' after 'spiffe:': '" + abbreviate(value) + "'");
		}
		String rest = value.substring(PREFIX.length());
		if (rest.indexOf('?') >= 0) {
			throw new InvalidSpiffeIdException("SPIFFE ID must not have a query: '" + abbreviate(value) + "'");
		}
		if (rest.indexOf('#') >= 0) {
			throw new InvalidSpiffeIdException("SPIFFE ID must not have a fragment: '" + abbreviate(value) + "'");
		}
		int slash = rest.indexOf('/');
		String trustDomain = (slash < 0) ? rest : rest.substring(0, slash);
		String path = (slash < 0) ? "" : rest.substring(slash);
		return new SpiffeId(trustDomain, path);
	}

	/**
	 * The SPIFFE ID a certificate carries: its URI SAN, if it has exactly one and that is
	 * a valid SPIFFE ID (an X509-SVID has exactly one).
	 * @param certificate the certificate
	 * @return the SPIFFE ID, or empty if the certificate has none, several URI SANs, or
	 * an invalid one
	 */
	public static Optional<SpiffeId> of(X509Certificate certificate) {
		try {
			Collection<List<?>> names = certificate.getSubjectAlternativeNames();
			if (names == null) {
				return Optional.empty();
			}
			List<String> uris = names.stream()
				.filter((name) -> ((Integer) name.get(0)) == URI_SAN)
				.map((name) -> (String) name.get(1))
				.toList();
			return (uris.size() == 1) ? Optional.of(parse(uris.get(0))) : Optional.empty();
		}
		catch (CertificateParsingException | InvalidSpiffeIdException ex) {
			return Optional.empty();
		}
	}

	/**
	 * The ID of a trust domain itself, {@code spiffe://<trust-domain>}.
	 * @param trustDomain the trust domain name
	 * @return the SPIFFE ID with an empty path
	 * @throws InvalidSpiffeIdException if the name breaks a rule
	 */
	public static SpiffeId ofTrustDomain(String trustDomain) {
		return new SpiffeId(trustDomain, "");
	}

	/**
	 * Validates a trust domain name on its own.
	 * @param trustDomain the name to check
	 * @return the same name
	 * @throws InvalidSpiffeIdException naming the rule the name breaks
	 */
	public static String validateTrustDomain(String trustDomain) {
		if (trustDomain == null || trustDomain.isEmpty()) {
			throw new InvalidSpiffeIdException("SPIFFE ID trust domain must not be empty");
		}
		if (trustDomain.length() > MAX_TRUST_DOMAIN_LENGTH) {
			throw new InvalidSpiffeIdException(
					"SPIFFE ID trust domain is longer than " + MAX_TRUST_DOMAIN_LENGTH + " characters");
		}
		if (trustDomain.indexOf('@') >= 0) {
			throw new InvalidSpiffeIdException("SPIFFE ID must not have user info: '" + abbreviate(trustDomain) + "'");
		}
		if (trustDomain.indexOf(':') >= 0) {
			throw new InvalidSpiffeIdException("SPIFFE ID must not have a port: '" + abbreviate(trustDomain) + "'");
		}
		for (int i = 0; i < trustDomain.length(); i++) {
			char c = trustDomain.charAt(i);
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')) {
				throw new InvalidSpiffeIdException("SPIFFE ID trust domain may hold only a-z, 0-9, '.', '-' and '_' "
						+ "(lower case): character '" + c + "' in '" + abbreviate(trustDomain) + "'");
			}
		}
		return trustDomain;
	}

	private static void validatePath(String path) {
		if (path == null) {
			throw new InvalidSpiffeIdException("SPIFFE ID path must not be null");
		}
		if (path.isEmpty()) {
			return;
		}
		if (path.charAt(0) != '/') {
			throw new InvalidSpiffeIdException("SPIFFE ID path must start with '/': '" + abbreviate(path) + "'");
		}
		int start = 1;
		while (true) {
			int end = path.indexOf('/', start);
			String segment = (end < 0) ? path.substring(start) : path.substring(start, end);
			if (segment.isEmpty()) {
				throw new InvalidSpiffeIdException((end < 0) ? "SPIFFE ID path must not end with '/'"
						: "SPIFFE ID path must not have empty segments ('//')");
			}
			if (segment.equals(".") || segment.equals("..")) {
				throw new InvalidSpiffeIdException("SPIFFE ID path must not have '.' or '..' segments");
			}
			for (int i = 0; i < segment.length(); i++) {
				char c = segment.charAt(i);
				if (c == '%') {
					throw new InvalidSpiffeIdException("SPIFFE ID path must not be percent-encoded");
				}
				if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
						|| c == '_')) {
					throw new InvalidSpiffeIdException(
							"SPIFFE ID path segments may hold only a-z, A-Z, 0-9, '.', '-' and '_': character '" + c
									+ "' in '" + abbreviate(path) + "'");
				}
			}
			if (end < 0) {
				return;
			}
			start = end + 1;
		}
	}

	private static String abbreviate(String value) {
		return (value.length() <= 120) ? value : value.substring(0, 117) + "...";
	}

	/**
	 * Whether this ID belongs to the given trust domain.
	 * @param trustDomain the trust domain name
	 * @return {@code true} when the trust domains are equal
	 */
	public boolean isMemberOf(String trustDomain) {
		return this.trustDomain.equals(trustDomain);
	}

	/**
	 * Whether this is the ID of a trust domain itself, with an empty path; such IDs name
	 * no workload.
	 * @return {@code true} when the path is empty
	 */
	public boolean isTrustDomainId() {
		return this.path.isEmpty();
	}

	/**
	 * This ID as a URI, as it appears in a certificate's URI SAN.
	 * @return the URI
	 */
	public URI toUri() {
		return URI.create(toString());
	}

	@Override
	public String toString() {
		return PREFIX + this.trustDomain + this.path;
	}

}
