package io.tether.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ProblemType}: the {@code type} URIs clients switch on.
 */
class ProblemTypeTest {

	@Test
	void everyTypeIsAUrnThatReadsBackAsItself() {
		for (ProblemType type : ProblemType.values()) {
			assertThat(type.uri().toString()).startsWith("urn:tether:problem:");
			assertThat(ProblemType.fromUri(type.uri().toString())).contains(type);
		}
		assertThat(ProblemType.fromUri("about:blank")).isEmpty();
		assertThat(ProblemType.fromUri(null)).isEmpty();
	}

	@Test
	void aBareStatusFromTheFrameworkGetsItsGenericType() {
		assertThat(ProblemType.forStatus(400)).isEqualTo(ProblemType.BAD_REQUEST);
		assertThat(ProblemType.forStatus(403)).as("403 has only specific types").isEqualTo(ProblemType.BAD_REQUEST);
		assertThat(ProblemType.forStatus(404)).isEqualTo(ProblemType.NOT_FOUND);
		assertThat(ProblemType.forStatus(406)).isEqualTo(ProblemType.NOT_ACCEPTABLE);
		assertThat(ProblemType.forStatus(429)).isEqualTo(ProblemType.TOO_MANY_REQUESTS);
		assertThat(ProblemType.forStatus(503)).isEqualTo(ProblemType.UNAVAILABLE);
		assertThat(ProblemType.forStatus(502)).isEqualTo(ProblemType.INTERNAL);
	}

	@Test
	void aProblemNamesItsType() {
		Problem problem = new Problem("urn:tether:problem:entry-not-assigned", "Entry not assigned to this agent", 403,
				"Entry e is not assigned to agent 'a'", "/v1/agents/self/certificates");
		assertThat(problem.problemType()).contains(ProblemType.ENTRY_NOT_ASSIGNED);
		assertThat(ProblemType.ENTRY_NOT_ASSIGNED.status()).isEqualTo(problem.status());
	}

}
