package io.tether.server.web;

import io.tether.api.ProblemType;

/**
 * A request refused by a rate limit before it did anything: 429 with a
 * {@code Retry-After} header.
 */
public class ThrottledException extends ApiException {

	private static final long serialVersionUID = 1L;

	private final long retryAfterSeconds;

	/**
	 * @param detail what was limited, for the operator
	 * @param retryAfterSeconds whole seconds until a retry can succeed, at least 1
	 */
	public ThrottledException(String detail, long retryAfterSeconds) {
		super(ProblemType.TOO_MANY_REQUESTS, detail);
		if (retryAfterSeconds < 1) {
			throw new IllegalArgumentException("'retryAfterSeconds' must be at least 1");
		}
		this.retryAfterSeconds = retryAfterSeconds;
	}

	public long getRetryAfterSeconds() {
		return this.retryAfterSeconds;
	}

}
