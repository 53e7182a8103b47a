package io.tether.server.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.tether.api.ProblemType;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Builds problem documents, and writes them where no Spring MVC handler runs (filters).
 */
public final class Problems {

	private Problems() {
	}

	public static ProblemDetail of(ProblemType type, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(type.status()), detail);
		problem.setType(type.uri());
		problem.setTitle(type.title());
		return problem;
	}

	/**
	 * Writes a problem directly to a servlet response, for code that runs before Spring
	 * MVC (filters).
	 */
	public static void write(HttpServletResponse response, ProblemType type, String detail) throws IOException {
		response.setStatus(type.status());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter().write(json(type, type.status(), detail));
	}

	/**
	 * A problem document as text, for writers that have no Spring MVC converter.
	 */
	static String json(ProblemType type, int status, String detail) {
		return "{\"type\":\"" + type.uri() + "\",\"title\":\"" + type.title() + "\",\"status\":" + status
				+ ",\"detail\":\"" + escape(detail) + "\"}";
	}

	/**
	 * A JSON string's content: quotes, backslashes and every control character escaped,
	 * whatever a header or a parameter quoted in the detail held.
	 */
	static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length() + 8);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\') {
				escaped.append('\\').append(c);
			}
			else if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
				escaped.append(String.format("\\u%04x", (int) c));
			}
			else {
				escaped.append(c);
			}
		}
		return escaped.toString();
	}

}
