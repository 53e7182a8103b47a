package io.tether.server.web;

import io.tether.api.ProblemType;

/**
 * A refusal with a problem type and a detail for the operator; mapped to problem+json by
 * {@link ApiExceptionHandler}.
 */
public class ApiException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final ProblemType type;

	public ApiException(ProblemType type, String detail) {
		super(detail);
		this.type = type;
	}

	public ProblemType getType() {
		return this.type;
	}

}
