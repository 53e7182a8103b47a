package io.tether.pki;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * The subject distinguished names of workload leaves. X.509 client authenticators that
 * match the subject DN (Keycloak's, Spring Authorization Server's default) can only tell
 * workloads apart if every SPIFFE ID has its own subject, and a client registered by its
 * subject keeps working across renewals only if the subject never changes. So a leaf's
 * subject is either derived from its SPIFFE ID by {@link #defaultFor(SpiffeId) one fixed
 * rule}, or set per registration entry and {@link #parse(String) validated} here.
 * <p>
 * The default rule, for {@code spiffe://<trust domain>/<path>}:
 * <ul>
 * <li>{@code O} is the trust domain when it has at most 64 characters (X.520's
 * ub-organization-name), otherwise {@code sha256:} followed by the unpadded lower-case
 * base32 of the SHA-256 of the trust domain (59 characters);</li>
 * <li>{@code CN} is the path without its leading slash when that has at most 64
 * characters (ub-common-name), otherwise {@code sha256:} followed by the unpadded
 * lower-case base32 of the SHA-256 of the whole SPIFFE ID; an ID without a path gets no
 * CN.</li>
 * </ul>
 * The DER order is O then CN, so the RFC 4514 string (Java's
 * {@link X500Principal#getName()}, {@code openssl x509 -subject -nameopt RFC2253}) reads
 * {@code CN=ns/web,O=tether.internal}. A {@code :} cannot occur in a SPIFFE trust domain
 * or path, so a hashed value never equals a plain one: different SPIFFE IDs always get
 * different subjects. Thread-safe (stateless).
 */
public final class LeafSubjects {

	/** The most attributes an override may have. */
	public static final int MAX_ATTRIBUTES = 10;

	/** The longest value CN and O take before the default rule hashes it. */
	public static final int UB_NAME = 64;

	/**
	 * The prefix of a hashed value; {@code :} never occurs in a SPIFFE trust domain or
	 * path.
	 */
	public static final String HASH_PREFIX = "sha256:";

	/**
	 * The attribute types an override may use, with X.520's upper bound on each value
	 * (RFC 5280 Appendix A.1; DC from RFC 4519, one DNS label).
	 */
	private static final Map<ASN1ObjectIdentifier, Integer> UPPER_BOUNDS = Map.of(BCStyle.CN, 64, BCStyle.O, 64,
			BCStyle.OU, 64, BCStyle.L, 128, BCStyle.ST, 128, BCStyle.C, 2, BCStyle.DC, 63, BCStyle.SERIALNUMBER, 64,
			BCStyle.UID, 256);

	private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

	private LeafSubjects() {
	}

	/**
	 * The subject the default rule gives a SPIFFE ID.
	 * @param spiffeId the leaf's SPIFFE ID
	 * @return its subject: {@code CN=<path>,O=<trust domain>}, long values hashed
	 */
	public static X500Principal defaultFor(SpiffeId spiffeId) {
		Objects.requireNonNull(spiffeId, "'spiffeId' must not be null");
		X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O,
				fitted(spiffeId.trustDomain(), spiffeId.trustDomain()));
		String path = spiffeId.path().startsWith("/") ? spiffeId.path().substring(1) : spiffeId.path();
		if (!path.isEmpty()) {
			builder.addRDN(BCStyle.CN, fitted(path, spiffeId.toString()));
		}
		return principal(builder.build());
	}

	/**
	 * Parses and checks a subject set on a registration entry: an RFC 4514 string of at
	 * most {@link #MAX_ATTRIBUTES} single-valued RDNs, each one of CN, O, OU, L, ST, C,
	 * DC, SERIALNUMBER or UID, with a non-empty value within X.520's upper bound, that
	 * reads back as the same name from its RFC 4514 form
	 * ({@link X500Principal#getName()}).
	 * @param value the string, for example {@code CN=orders,OU=payments,O=Example Corp}
	 * @return the subject
	 * @throws IllegalArgumentException if it is not such a subject; the message says why
	 */
	public static X500Principal parse(String value) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("must not be empty");
		}
		X500Principal principal;
		try {
			principal = new X500Principal(value);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("is not an RFC 4514 distinguished name: " + ex.getMessage(), ex);
		}
		RDN[] rdns = X500Name.getInstance(principal.getEncoded()).getRDNs();
		if (rdns.length == 0) {
			throw new IllegalArgumentException("must not be empty");
		}
		if (rdns.length > MAX_ATTRIBUTES) {
			throw new IllegalArgumentException(
					"has " + rdns.length + " attributes, at most " + MAX_ATTRIBUTES + " are allowed");
		}
		for (RDN rdn : rdns) {
			if (rdn.isMultiValued()) {
				throw new IllegalArgumentException("must not have multi-valued RDNs ('+')");
			}
			check(rdn.getFirst());
		}
		// the server stores the RFC 4514 string and reads it back at each issuance: a
		// name that string cannot carry (a carriage return at the start or end of a
		// value) would fail there
		X500Principal readBack;
		try {
			readBack = new X500Principal(principal.getName());
		}
		catch (IllegalArgumentException ex) {
			readBack = null;
		}
		if (!principal.equals(readBack)) {
			throw new IllegalArgumentException("does not read back from its RFC 4514 form '" + principal.getName()
					+ "'; remove control characters from the start and end of values");
		}
		return principal;
	}

	private static void check(AttributeTypeAndValue attribute) {
		ASN1ObjectIdentifier type = attribute.getType();
		Integer bound = UPPER_BOUNDS.get(type);
		String name = BCStyle.INSTANCE.oidToDisplayName(type);
		if (bound == null) {
			throw new IllegalArgumentException(
					"uses attribute " + ((name != null) ? name.toUpperCase(Locale.ROOT) : type.getId())
							+ "; allowed are CN, O, OU, L, ST, C, DC, SERIALNUMBER and UID");
		}
		String display = name.toUpperCase(Locale.ROOT);
		String text = IETFUtils.valueToString(attribute.getValue());
		String value = unescaped(attribute);
		if (value.isBlank()) {
			throw new IllegalArgumentException("has an empty " + display);
		}
		if (value.codePointCount(0, value.length()) > bound) {
			throw new IllegalArgumentException(display + " '" + text + "' is longer than " + bound + " characters");
		}
		if (type.equals(BCStyle.C) && !value.matches("[A-Z]{2}")) {
			throw new IllegalArgumentException("C must be two upper-case letters (ISO 3166), not '" + text + "'");
		}
	}

	private static String unescaped(AttributeTypeAndValue attribute) {
		if (attribute.getValue() instanceof org.bouncycastle.asn1.ASN1String string) {
			return string.getString();
		}
		throw new IllegalArgumentException(
				"has a value that is not a string: " + IETFUtils.valueToString(attribute.getValue()));
	}

	private static String fitted(String value, String hashed) {
		return (value.length() <= UB_NAME) ? value : HASH_PREFIX + base32(sha256(hashed));
	}

	private static X500Principal principal(X500Name name) {
		try {
			return new X500Principal(name.getEncoded());
		}
		catch (java.io.IOException ex) {
			throw new PkiException("Subject cannot be encoded: " + ex.getMessage(), ex);
		}
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from the JDK", ex);
		}
	}

	private static String base32(byte[] bytes) {
		StringBuilder out = new StringBuilder();
		int buffer = 0;
		int bits = 0;
		for (byte b : bytes) {
			buffer = (buffer << 8) | (b & 0xff);
			bits += 8;
			while (bits >= 5) {
				out.append(BASE32[(buffer >> (bits - 5)) & 31]);
				bits -= 5;
			}
		}
		if (bits > 0) {
			out.append(BASE32[(buffer << (5 - bits)) & 31]);
		}
		return out.toString();
	}

}
