package io.tether.server.web;

import java.util.Collections;
import java.util.List;

import io.tether.api.ProblemType;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Refuses a request whose {@code Accept} header rules out the answer before the handler
 * runs. Spring MVC negotiates only when it writes the response, after a handler's
 * transaction has committed: an enrollment refused with 406 would have consumed its join
 * token. A mapping that declares {@code produces} is negotiated by Spring before the
 * handler; every other API handler answers JSON.
 */
class AcceptableResponseInterceptor implements HandlerInterceptor {

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (!(handler instanceof HandlerMethod) || request.getDispatcherType() == DispatcherType.ERROR
				|| request.getAttribute(HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE) != null) {
			return true;
		}
		List<String> accept = Collections.list(request.getHeaders("Accept"));
		if (accept.isEmpty()) {
			return true;
		}
		List<MediaType> acceptable;
		try {
			acceptable = MediaType.parseMediaTypes(accept);
		}
		catch (InvalidMediaTypeException ex) {
			throw new ApiException(ProblemType.NOT_ACCEPTABLE,
					"The Accept header cannot be parsed: " + ex.getMessage());
		}
		for (MediaType type : acceptable) {
			if (type.getQualityValue() > 0 && type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
				return true;
			}
		}
		throw new ApiException(ProblemType.NOT_ACCEPTABLE,
				"This endpoint answers application/json (errors application/problem+json); the Accept header allows neither");
	}

}
