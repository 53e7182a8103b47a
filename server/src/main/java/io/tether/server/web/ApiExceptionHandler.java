package io.tether.server.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

	@ExceptionHandler(ApiException.class)
	ResponseEntity<ProblemDetail> handleApiException(ApiException ex) {
		return problem(ex.getType(), ex.getMessage());
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> handleUnexpected(Exception ex) {
		logger.error("Request failed unexpectedly", ex);
		return problem(ProblemType.INTERNAL, "The server failed to handle the request; its log says why");
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail body = Problems.of(ProblemType.BAD_REQUEST,
				"The request body is not valid JSON of the expected shape");
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
