package io.tether.server.web;

import io.tether.api.ProblemType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Problems}: a problem written by a filter is valid JSON whatever its
 * detail quotes from the request.
 */
class ProblemsTest {

	@Test
	void writeEscapesQuotesBackslashesAndControlCharacters() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		String detail = "Content-Type 'a\tb\"c\\d\u0000e\u2028' is not a media type";
		Problems.write(response, ProblemType.UNSUPPORTED_MEDIA_TYPE, detail);
		JsonNode problem = JsonMapper.builder().build().readTree(response.getContentAsString());
		assertThat(problem.get("detail").asString()).isEqualTo(detail);
		assertThat(problem.get("status").asInt()).isEqualTo(415);
		assertThat(response.getContentType()).startsWith("application/problem+json");
	}

}
