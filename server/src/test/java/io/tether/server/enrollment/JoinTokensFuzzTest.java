package io.tether.server.enrollment;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tether.api.ProblemType;
import io.tether.pki.Thumbprints;
import io.tether.pki.testing.TestPki;
import io.tether.server.authority.CertificateAuthority;
import io.tether.server.web.ApiException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

/**
 * Fuzzes the join token parser and verifier that every enrollment runs before anything
 * else, against one live token: the issued token (spaces around it aside) is the only
 * text that enrolls, and every other text is refused with {@code invalid-join-token}, a
 * 401. Seeds, the live token among them, are in
 * {@code src/test/resources/io/tether/server/enrollment/JoinTokensFuzzTestInputs/}.
 */
class JoinTokensFuzzTest {

	static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	static final String ID = "0123456789abcdef01234567";

	static final String SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I";

	private static final X509Certificate ROOT = TestPki.root().rootCredential().certificate();

	/** The token the seeds hold, but for its last part, which the root makes. */
	static final String PREFIX = "tj1." + ID + "." + SECRET + ".";

	private static final String TOKEN = PREFIX + Thumbprints.sha256Hex(ROOT);

	private static final JoinTokens TOKENS = joinTokens();

	@FuzzTest
	void consume(byte[] input) {
		String token = new String(input, StandardCharsets.UTF_8)
			// the seeds cannot know the test root's fingerprint: '<root>' stands for it
			.replace("<root>", Thumbprints.sha256Hex(ROOT));
		String agent;
		try {
			agent = TOKENS.consume(token);
		}
		catch (ApiException ex) {
			assertThat(ex.getType()).isEqualTo(ProblemType.INVALID_JOIN_TOKEN);
			assertThat(token.strip()).isNotEqualTo(TOKEN);
			return;
		}
		assertThat(agent).isEqualTo("host-1");
		assertThat(token.strip()).isEqualTo(TOKEN);
	}

	private static JoinTokens joinTokens() {
		JoinTokenEntity entity = new JoinTokenEntity(ID, "host-1",
				Thumbprints.sha256Hex(SECRET.getBytes(StandardCharsets.US_ASCII)), "admin",
				NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofMinutes(10)));
		// stub-only mocks record no invocations: millions of calls must not fill the heap
		JoinTokenRepository repository = mock(JoinTokenRepository.class, withSettings().stubOnly());
		given(repository.findById(anyString()))
			.willAnswer((invocation) -> ID.equals(invocation.getArgument(0)) ? Optional.of(entity) : Optional.empty());
		given(repository.consume(anyString(), any())).willReturn(1);
		CertificateAuthority authority = mock(CertificateAuthority.class, withSettings().stubOnly());
		given(authority.activeRoot()).willReturn(ROOT);
		return new JoinTokens(repository, authority, null, Clock.fixed(NOW, ZoneOffset.UTC), null);
	}

}
