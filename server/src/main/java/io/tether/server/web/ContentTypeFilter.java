package io.tether.server.web;

import java.io.IOException;

import io.tether.api.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request whose {@code Content-Type} is not one concrete media type (a wildcard
 * such as {@code application/*}, or text that does not parse) with 415 before anything
 * reads the body: Spring would otherwise fail on it inside a handler that takes an
 * optional body, as an exception rather than a refusal.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class ContentTypeFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String contentType = request.getContentType();
		if (contentType != null) {
			String problem;
			try {
				MediaType type = MediaType.parseMediaType(contentType);
				problem = type.isConcrete() ? null : "'" + contentType + "' is a pattern, not a media type";
			}
			catch (InvalidMediaTypeException ex) {
				problem = "'" + contentType + "' is not a media type";
			}
			if (problem != null) {
				Problems.write(response, ProblemType.UNSUPPORTED_MEDIA_TYPE,
						"Content-Type " + problem + "; send application/json");
				return;
			}
		}
		chain.doFilter(request, response);
	}

}
