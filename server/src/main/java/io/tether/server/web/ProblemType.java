package io.tether.server.web;

import java.net.URI;

import org.springframework.http.HttpStatus;

/**
 * The stable {@code type} of every problem the API answers with (RFC 9457). Clients and
 * the CLI switch on these, never on {@code detail}. See {@code docs/api.md}.
 */
public enum ProblemType {

	BAD_REQUEST("bad-request", HttpStatus.BAD_REQUEST, "Malformed request"),

	INVALID_CSR("invalid-csr", HttpStatus.BAD_REQUEST, "Invalid certificate signing request"),

	CSR_SIGNATURE_INVALID("csr-signature-invalid", HttpStatus.BAD_REQUEST, "CSR signature does not verify"),

	INVALID_SPIFFE_ID("invalid-spiffe-id", HttpStatus.BAD_REQUEST, "Invalid SPIFFE ID"),

	INVALID_DNS_NAME("invalid-dns-name", HttpStatus.BAD_REQUEST, "Invalid DNS name"),

	INVALID_TTL("invalid-ttl", HttpStatus.BAD_REQUEST, "Invalid TTL"),

	TRUST_DOMAIN_MISMATCH("trust-domain-mismatch", HttpStatus.FORBIDDEN, "SPIFFE ID of another trust domain"),

	TTL_OUT_OF_RANGE("ttl-out-of-range", HttpStatus.FORBIDDEN, "TTL outside the allowed range"),

	KEY_TYPE_NOT_ALLOWED("key-type-not-allowed", HttpStatus.FORBIDDEN, "Key type not allowed"),

	SAN_NOT_ALLOWED("san-not-allowed", HttpStatus.FORBIDDEN, "Subject alternative name not allowed"),

	CLIENT_CERTIFICATE_REQUIRED("client-certificate-required", HttpStatus.UNAUTHORIZED, "Client certificate required"),

	NOT_ADMIN("not-admin", HttpStatus.FORBIDDEN, "Admin certificate required"),

	INVALID_JOIN_TOKEN("invalid-join-token", HttpStatus.UNAUTHORIZED, "Join token not accepted"),

	INVALID_AGENT_NAME("invalid-agent-name", HttpStatus.BAD_REQUEST, "Invalid agent name"),

	NOT_AGENT("not-agent", HttpStatus.FORBIDDEN, "Agent certificate required"),

	ENTRY_NOT_ASSIGNED("entry-not-assigned", HttpStatus.FORBIDDEN, "Entry not assigned to this agent"),

	NOT_REVOCABLE("not-revocable", HttpStatus.FORBIDDEN, "Certificate not revocable through the API"),

	CERTIFICATE_REVOKED("certificate-revoked", HttpStatus.FORBIDDEN, "Client certificate revoked"),

	CONFLICT("conflict", HttpStatus.CONFLICT, "Conflict"),

	NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "Not found"),

	METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),

	UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),

	NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),

	PAYLOAD_TOO_LARGE("payload-too-large", HttpStatus.CONTENT_TOO_LARGE, "Request body too large"),

	UNAVAILABLE("unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable"),

	INTERNAL("internal", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

	private static final String PREFIX = "urn:tether:problem:";

	private final String slug;

	private final HttpStatus status;

	private final String title;

	ProblemType(String slug, HttpStatus status, String title) {
		this.slug = slug;
		this.status = status;
		this.title = title;
	}

	/** Whether this type is the one to use for a bare status code from the framework. */
	private boolean generic() {
		return this == BAD_REQUEST || this == NOT_FOUND || this == METHOD_NOT_ALLOWED || this == UNSUPPORTED_MEDIA_TYPE
				|| this == NOT_ACCEPTABLE || this == PAYLOAD_TOO_LARGE || this == CONFLICT || this == UNAVAILABLE
				|| this == INTERNAL;
	}

	public URI uri() {
		return URI.create(PREFIX + this.slug);
	}

	public HttpStatus status() {
		return this.status;
	}

	public String title() {
		return this.title;
	}

	public static ProblemType forStatus(int status) {
		for (ProblemType type : values()) {
			if (type.status.value() == status && type.generic()) {
				return type;
			}
		}
		return (status >= 500) ? INTERNAL : BAD_REQUEST;
	}

}
