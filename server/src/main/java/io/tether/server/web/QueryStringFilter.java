package io.tether.server.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import io.tether.api.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a malformed query string with 400 before anything reads it: a parameter without
 * a name ({@code ?=x}), a broken percent-encoding ({@code %zz}), bytes that are not
 * UTF-8, or a control character such as NUL, which PostgreSQL cannot compare with text
 * and no parameter has a use for. Tomcat would otherwise report the first two as an
 * exception from inside a handler, and pass the last two on.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class QueryStringFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String query = request.getQueryString();
		String problem = (query != null) ? problem(query) : null;
		if (problem != null) {
			Problems.write(response, ProblemType.BAD_REQUEST, "The query string is malformed: " + problem);
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * What is wrong with a raw query string, or {@code null} when nothing is.
	 */
	static String problem(String query) {
		for (String pair : query.split("&", -1)) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			if (equals == 0) {
				return "a parameter has no name";
			}
			String problem = decodingProblem(pair);
			if (problem != null) {
				return problem;
			}
		}
		return null;
	}

	private static String decodingProblem(String pair) {
		byte[] bytes = new byte[pair.length()];
		int length = 0;
		for (int i = 0; i < pair.length(); i++) {
			char c = pair.charAt(i);
			if (c == '%') {
				if (i + 2 >= pair.length() || Character.digit(pair.charAt(i + 1), 16) < 0
						|| Character.digit(pair.charAt(i + 2), 16) < 0) {
					return "'%' must be followed by two hexadecimal digits";
				}
				bytes[length++] = (byte) Integer.parseInt(pair, i + 1, i + 3, 16);
				i += 2;
			}
			else {
				bytes[length++] = (byte) c;
			}
		}
		String decoded;
		try {
			decoded = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes, 0, length))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return "a parameter is not UTF-8";
		}
		for (int i = 0; i < decoded.length(); i++) {
			char c = decoded.charAt(i);
			if (c < 0x20 || c == 0x7f) {
				return String.format("a parameter holds the control character U+%04X", (int) c);
			}
		}
		return null;
	}

}
