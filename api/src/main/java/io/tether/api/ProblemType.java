package io.tether.api;

import java.net.URI;
import java.util.Optional;

/**
 * The stable {@code type} of every problem the API answers with (RFC 9457), as
 * {@code urn:tether:problem:<slug>}. Clients and the CLI switch on these, never on
 * {@code detail}. See {@code docs/api.md}.
 */
public enum ProblemType {

	BAD_REQUEST("bad-request", 400, "Malformed request"),

	INVALID_CSR("invalid-csr", 400, "Invalid certificate signing request"),

	CSR_SIGNATURE_INVALID("csr-signature-invalid", 400, "CSR signature does not verify"),

	INVALID_SPIFFE_ID("invalid-spiffe-id", 400, "Invalid SPIFFE ID"),

	INVALID_DNS_NAME("invalid-dns-name", 400, "Invalid DNS name"),

	INVALID_TTL("invalid-ttl", 400, "Invalid TTL"),

	TRUST_DOMAIN_MISMATCH("trust-domain-mismatch", 403, "SPIFFE ID of another trust domain"),

	TTL_OUT_OF_RANGE("ttl-out-of-range", 403, "TTL outside the allowed range"),

	KEY_TYPE_NOT_ALLOWED("key-type-not-allowed", 403, "Key type not allowed"),

	SAN_NOT_ALLOWED("san-not-allowed", 403, "Subject alternative name not allowed"),

	CLIENT_CERTIFICATE_REQUIRED("client-certificate-required", 401, "Client certificate required"),

	NOT_ADMIN("not-admin", 403, "Admin certificate required"),

	/**
	 * The caller is an operator, but its role does not allow this endpoint (an auditor
	 * writing, an operator managing operators or rotating the CA).
	 */
	FORBIDDEN_ROLE("forbidden-role", 403, "Operator role does not allow this"),

	/**
	 * The operator was revoked, or the bootstrap admin retired
	 * ({@code tether.admin.retired}).
	 */
	OPERATOR_REVOKED("operator-revoked", 403, "Operator revoked"),

	/** An operator enrollment token that is malformed, unknown, used or expired. */
	INVALID_ENROLLMENT_TOKEN("invalid-enrollment-token", 401, "Enrollment token not accepted"),

	INVALID_JOIN_TOKEN("invalid-join-token", 401, "Join token not accepted"),

	INVALID_AGENT_NAME("invalid-agent-name", 400, "Invalid agent name"),

	NOT_AGENT("not-agent", 403, "Agent certificate required"),

	AGENT_EVICTED("agent-evicted", 403, "Agent evicted"),

	KEY_MISMATCH("key-mismatch", 403, "CSR key does not match the certificate"),

	REATTEST_GRACE_PASSED("reattest-grace-passed", 403, "Re-attestation grace period passed"),

	ENTRY_NOT_ASSIGNED("entry-not-assigned", 403, "Entry not assigned to this agent"),

	/**
	 * The agent's entry for the SPIFFE ID does not list the JWT-SVID audience asked for.
	 */
	AUDIENCE_NOT_ALLOWED("audience-not-allowed", 403, "Audience not allowed for this entry"),

	NOT_REVOCABLE("not-revocable", 403, "Certificate not revocable through the API"),

	CERTIFICATE_REVOKED("certificate-revoked", 403, "Client certificate revoked"),

	CONFLICT("conflict", 409, "Conflict"),

	NOT_FOUND("not-found", 404, "Not found"),

	METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),

	UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),

	NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable"),

	PAYLOAD_TOO_LARGE("payload-too-large", 413, "Request body too large"),

	/**
	 * A rate limit of the server refused the request before it did anything; the
	 * {@code Retry-After} header says in how many seconds to try again.
	 */
	TOO_MANY_REQUESTS("too-many-requests", 429, "Too many requests"),

	UNAVAILABLE("unavailable", 503, "Service unavailable"),

	INTERNAL("internal", 500, "Internal error");

	static final String PREFIX = "urn:tether:problem:";

	private final String slug;

	private final int status;

	private final String title;

	ProblemType(String slug, int status, String title) {
		this.slug = slug;
		this.status = status;
		this.title = title;
	}

	/**
	 * The type named by a problem document's {@code type} member.
	 * @param uri the member, {@code urn:tether:problem:<slug>}
	 * @return the type, or empty for another or no type
	 */
	public static Optional<ProblemType> fromUri(String uri) {
		for (ProblemType type : values()) {
			if (type.uri().toString().equals(uri)) {
				return Optional.of(type);
			}
		}
		return Optional.empty();
	}

	/** Whether this type is the one to use for a bare status code from the framework. */
	private boolean generic() {
		return this == BAD_REQUEST || this == NOT_FOUND || this == METHOD_NOT_ALLOWED || this == UNSUPPORTED_MEDIA_TYPE
				|| this == NOT_ACCEPTABLE || this == PAYLOAD_TOO_LARGE || this == TOO_MANY_REQUESTS || this == CONFLICT
				|| this == UNAVAILABLE || this == INTERNAL;
	}

	/**
	 * The problem's {@code type} member.
	 * @return {@code urn:tether:problem:<slug>}
	 */
	public URI uri() {
		return URI.create(PREFIX + this.slug);
	}

	/**
	 * The HTTP status the server answers this problem with.
	 * @return the status code
	 */
	public int status() {
		return this.status;
	}

	/**
	 * The problem's {@code title} member.
	 * @return a short human title
	 */
	public String title() {
		return this.title;
	}

	/**
	 * The problem for a status the framework raised without one of its own.
	 * @param status an HTTP status code
	 * @return the generic problem type for it
	 */
	public static ProblemType forStatus(int status) {
		for (ProblemType type : values()) {
			if (type.status == status && type.generic()) {
				return type;
			}
		}
		return (status >= 500) ? INTERNAL : BAD_REQUEST;
	}

}
