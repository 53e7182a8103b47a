package io.tether.server.web;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import io.tether.api.ProblemType;
import io.tether.pki.Csr;
import io.tether.pki.DnsNames;
import io.tether.pki.InvalidCsrException;
import io.tether.pki.UnsupportedKeyException;
import io.tether.pki.InvalidSpiffeIdException;
import io.tether.pki.LeafSubjects;
import io.tether.pki.Pem;
import io.tether.pki.PkiException;
import io.tether.pki.SpiffeId;

/**
 * Decodes the fields every issuing endpoint takes, each failure a 400 with its own
 * problem type naming the field.
 */
public final class RequestFields {

	/** DNS names one entry or certificate may carry. */
	public static final int MAX_DNS_NAMES = 100;

	/** JWT-SVID audiences one entry may allow. */
	public static final int MAX_AUDIENCES = 20;

	/** The longest JWT-SVID audience. */
	public static final int MAX_AUDIENCE_LENGTH = 255;

	/**
	 * The longest window a query may ask about: far beyond any certificate's life, and
	 * well within what every database can store as a timestamp.
	 */
	static final Duration MAX_WINDOW = Duration.ofDays(100 * 365);

	private RequestFields() {
	}

	/**
	 * Checks that the CSR's signature verifies with its own key: proof that the requester
	 * holds the private key.
	 * @param csr a parsed CSR
	 * @throws ApiException {@code csr-signature-invalid}, or {@code key-type-not-allowed}
	 * for a key Tether does not sign for
	 */
	public static void requireProofOfPossession(Csr csr) {
		try {
			csr.verifyProofOfPossession();
		}
		catch (InvalidCsrException ex) {
			throw new ApiException(ProblemType.CSR_SIGNATURE_INVALID, ex.getMessage());
		}
		catch (UnsupportedKeyException ex) {
			throw new ApiException(ProblemType.KEY_TYPE_NOT_ALLOWED, ex.getMessage());
		}
	}

	public static Csr csr(String pem) {
		if (pem == null || pem.isBlank()) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'csr' is required: a PEM 'CERTIFICATE REQUEST'");
		}
		try {
			return Csr.fromPem(pem);
		}
		catch (InvalidCsrException ex) {
			throw new ApiException(ProblemType.INVALID_CSR, ex.getMessage());
		}
	}

	/**
	 * One PEM certificate, nothing else: a chain or extra blocks are refused rather than
	 * read in part.
	 */
	public static X509Certificate certificate(String field, String pem) {
		if (pem == null || pem.isBlank()) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'" + field + "' is required: a PEM 'CERTIFICATE'");
		}
		List<X509Certificate> certificates;
		try {
			certificates = Pem.readCertificates(pem);
		}
		catch (PkiException ex) {
			throw new ApiException(ProblemType.BAD_REQUEST,
					"'" + field + "' is not a PEM certificate: " + ex.getMessage());
		}
		if (certificates.size() != 1) {
			throw new ApiException(ProblemType.BAD_REQUEST,
					"'" + field + "' must hold exactly one PEM 'CERTIFICATE' block, not " + certificates.size());
		}
		return certificates.get(0);
	}

	public static SpiffeId spiffeId(String value) {
		if (value == null || value.isBlank()) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'spiffeId' is required");
		}
		try {
			return SpiffeId.parse(value);
		}
		catch (InvalidSpiffeIdException ex) {
			throw new ApiException(ProblemType.INVALID_SPIFFE_ID, ex.getMessage());
		}
	}

	/**
	 * Validated, lower-cased, duplicates dropped, order kept; {@code null} is none.
	 */
	public static List<String> dnsNames(List<String> values) {
		List<String> names = new ArrayList<>();
		if (values != null) {
			if (values.size() > MAX_DNS_NAMES) {
				throw new ApiException(ProblemType.INVALID_DNS_NAME,
						"At most " + MAX_DNS_NAMES + " DNS names; " + values.size() + " were given");
			}
			for (String value : values) {
				if (value == null) {
					throw new ApiException(ProblemType.INVALID_DNS_NAME, "'dnsNames' holds a null; list names only");
				}
				try {
					String name = DnsNames.normalize(value);
					if (!names.contains(name)) {
						names.add(name);
					}
				}
				catch (IllegalArgumentException ex) {
					throw new ApiException(ProblemType.INVALID_DNS_NAME, ex.getMessage());
				}
			}
		}
		return List.copyOf(names);
	}

	/**
	 * An entry's own leaf subject, RFC 4514 ({@link LeafSubjects#parse}).
	 * @param value the field, or {@code null}
	 * @return the subject, or {@code null} for the default rule
	 * @throws ApiException {@code bad-request} naming {@code subject} and the defect
	 */
	public static X500Principal subject(String value) {
		if (value == null) {
			return null;
		}
		try {
			return LeafSubjects.parse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'subject' " + ex.getMessage());
		}
	}

	/**
	 * JWT-SVID audiences: at most {@link #MAX_AUDIENCES}, each 1 to
	 * {@link #MAX_AUDIENCE_LENGTH} characters without whitespace or control characters
	 * (an OAuth client id, a URL); duplicates are dropped.
	 * @param values the field, or {@code null} for none
	 * @return the audiences, in the order given
	 * @throws ApiException {@code bad-request} naming {@code audiences} and the defect
	 */
	public static List<String> audiences(List<String> values) {
		List<String> audiences = new ArrayList<>();
		if (values == null) {
			return List.of();
		}
		if (values.size() > MAX_AUDIENCES) {
			throw new ApiException(ProblemType.BAD_REQUEST,
					"'audiences' may hold at most " + MAX_AUDIENCES + " values; " + values.size() + " were given");
		}
		for (String value : values) {
			audiences.add(audience("audiences", value));
		}
		return audiences.stream().distinct().toList();
	}

	/**
	 * One JWT-SVID audience, checked as {@link #audiences} checks each.
	 * @param field the field's name for the error
	 * @param value the value
	 * @return the value
	 * @throws ApiException {@code bad-request} naming the field and the defect
	 */
	public static String audience(String field, String value) {
		if (value == null || value.isEmpty()) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'" + field + "' must not hold an empty audience");
		}
		if (value.length() > MAX_AUDIENCE_LENGTH) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'" + field + "' holds an audience of " + value.length()
					+ " characters; at most " + MAX_AUDIENCE_LENGTH + " are allowed");
		}
		boolean clean = value.codePoints()
			.noneMatch((c) -> Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c));
		if (!clean) {
			throw new ApiException(ProblemType.BAD_REQUEST,
					"'" + field + "' holds an audience with whitespace or a control character");
		}
		return value;
	}

	public static Duration ttl(String value, Duration defaultTtl) {
		if (value == null) {
			return defaultTtl;
		}
		try {
			return Ttls.parse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new ApiException(ProblemType.INVALID_TTL, ex.getMessage());
		}
	}

	/**
	 * A positive duration in a query parameter, such as {@code 10m} or {@code PT10M}, of
	 * at most {@link #MAX_WINDOW}.
	 */
	public static Duration duration(String field, String value) {
		Duration duration;
		try {
			duration = Ttls.parse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new ApiException(ProblemType.BAD_REQUEST,
					"'" + field + "' must be a positive duration such as 10m, 1h or PT10M, not '" + value + "'");
		}
		if (duration.compareTo(MAX_WINDOW) > 0) {
			throw new ApiException(ProblemType.BAD_REQUEST,
					"'" + field + "' is at most " + MAX_WINDOW.toDays() + " days, not '" + value + "'");
		}
		return duration;
	}

	/**
	 * A yes-or-no query parameter: {@code true} or {@code false} exactly, absent for
	 * {@code false}. Stricter than Spring's conversion, which also reads {@code on},
	 * {@code yes} and {@code 1}: a typo must not pass for the safe choice, nor for the
	 * other one.
	 */
	public static boolean flag(String field, String value) {
		if (value == null || value.equals("false")) {
			return false;
		}
		if (value.equals("true")) {
			return true;
		}
		throw new ApiException(ProblemType.BAD_REQUEST, "'" + field + "' must be true or false, not '" + value + "'");
	}

}
