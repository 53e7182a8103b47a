package io.tether.authz;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet error page ({@code /error}), where an error raised outside the OAuth
 * endpoints' own JSON lands, such as an authorization request with a redirect URI the
 * client did not register (which must not be redirected to): a problem document with the
 * reason for a 4xx, never a stack trace, and never a sign-in page.
 */
@RestController
class ProblemErrorController implements ErrorController {

	@RequestMapping("${server.error.path:/error}")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		int status = (code instanceof Integer value && value >= 400 && value < 600) ? value : 500;
		HttpStatus known = HttpStatus.resolve(status);
		Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
		String detail = (status < 500 && message instanceof String text && !text.isBlank()) ? text
				: (status >= 500) ? "The server failed to handle the request; its log says why"
						: (known != null) ? known.getReasonPhrase() : "Refused";
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
