package io.tether.server.web;

import io.tether.api.ProblemType;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place where exceptions become RFC 9457 problem documents: a stable
 * {@code type}, a human {@code detail}, never a stack trace.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	private final DatabaseOutages outages;

	ApiExceptionHandler(DatabaseOutages outages) {
		this.outages = outages;
	}

	@ExceptionHandler(ApiException.class)
	ResponseEntity<ProblemDetail> handleApiException(ApiException ex) {
		if (ex.getRetryAfter() != null) {
			return ResponseEntity.status(ex.getType().status())
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, ex.getRetryAfter().toSeconds())))
				.body(Problems.of(ex.getType(), ex.getMessage()));
		}
		return problem(ex.getType(), ex.getMessage());
	}

	@ExceptionHandler(ThrottledException.class)
	ResponseEntity<ProblemDetail> handleThrottled(ThrottledException ex) {
		return ResponseEntity.status(ex.getType().status())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.header(HttpHeaders.RETRY_AFTER, String.valueOf(ex.getRetryAfterSeconds()))
			.body(Problems.of(ex.getType(), ex.getMessage()));
	}

	/**
	 * Tomcat parses parameters lazily, inside a handler; {@link QueryStringFilter}
	 * refuses what it would fail on first, so this is a second line.
	 */
	@ExceptionHandler(InvalidParameterException.class)
	ResponseEntity<ProblemDetail> handleInvalidParameter(InvalidParameterException ex) {
		return problem(ProblemType.BAD_REQUEST, "The query string is malformed");
	}

	/**
	 * Two requests racing to create the same thing (an entry, an agent): the database's
	 * unique constraint stops the second, which rolled back.
	 */
	@ExceptionHandler(DataIntegrityViolationException.class)
	ResponseEntity<ProblemDetail> handleConflict(DataIntegrityViolationException ex) {
		logger.info("Request refused by a database constraint: {}", DatabaseOutages.describe(ex));
		return problem(ProblemType.CONFLICT,
				"The request conflicts with a change made at the same time; nothing was changed, retry it");
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> handleUnexpected(Exception ex) {
		if (this.outages.isOutage(ex)) {
			logger.warn("Request refused: the database is unreachable ({})", DatabaseOutages.describe(ex));
			return ResponseEntity.status(ProblemType.UNAVAILABLE.status())
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.header(HttpHeaders.RETRY_AFTER, String.valueOf(DatabaseOutages.RETRY_AFTER.toSeconds()))
				.body(Problems.of(ProblemType.UNAVAILABLE,
						"The database is unreachable; nothing was changed. Retry in a few seconds"));
		}
		logger.error("Request failed unexpectedly", ex);
		return problem(ProblemType.INTERNAL, "The server failed to handle the request; its log says why");
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail body = Problems.of(ProblemType.BAD_REQUEST, JsonBodyErrors.detail(ex.getCause()));
		return handleExceptionInternal(ex, body, headers, status, request);
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		ProblemDetail problem = (body instanceof ProblemDetail detail) ? detail : null;
		ProblemType type = ProblemType.forStatus(statusCode.value());
		if (problem == null) {
			problem = Problems.of(type, type.title());
		}
		if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
			problem.setType(type.uri());
		}
		HttpHeaders responseHeaders = new HttpHeaders();
		if (headers != null) {
			responseHeaders.putAll(headers);
		}
		responseHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		return ResponseEntity.status(statusCode).headers(responseHeaders).body(problem);
	}

	private static ResponseEntity<ProblemDetail> problem(ProblemType type, String detail) {
		return ResponseEntity.status(type.status())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(Problems.of(type, detail));
	}

}
