package io.tether.server.web;

import java.time.Duration;

import io.tether.api.ProblemType;

/**
 * A refusal with a problem type and a detail for the operator; mapped to problem+json by
 * {@link ApiExceptionHandler}.
 */
public class ApiException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final ProblemType type;

	private final Duration retryAfter;

	public ApiException(ProblemType type, String detail) {
		this(type, detail, null);
	}

	/**
	 * A refusal the client may retry after a while, said in a {@code Retry-After} header.
	 * @param retryAfter how long to wait, in whole seconds; {@code null} for no header
	 */
	public ApiException(ProblemType type, String detail, Duration retryAfter) {
		super(detail);
		this.type = type;
		this.retryAfter = retryAfter;
	}

	public ProblemType getType() {
		return this.type;
	}

	public Duration getRetryAfter() {
		return this.retryAfter;
	}

}
