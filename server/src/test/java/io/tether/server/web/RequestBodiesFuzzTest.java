package io.tether.server.web;

import java.time.Duration;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tether.api.EnrollRequest;
import io.tether.api.EntryCsrRequest;
import io.tether.api.EntryRequest;
import io.tether.api.IssueRequest;
import io.tether.api.JoinTokenRequest;
import io.tether.api.JwtSvidRequest;
import io.tether.api.ReattestRequest;
import io.tether.api.RevokeRequest;
import io.tether.api.RotateRequest;
import io.tether.pki.Csr;
import io.tether.server.identity.AgentNames;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes request bodies as the API reads them: JSON through Jackson, configured as the
 * server configures it ({@link StrictJsonConfiguration}), into the api records, then each
 * field through the validation its endpoint applies ({@link RequestFields},
 * {@link AgentNames}). Every body is either accepted or refused with a 4xx: a
 * {@link JacksonException} that {@link JsonBodyErrors} can describe, or an
 * {@link ApiException} of a 4xx problem type. Seeds are in
 * {@code src/test/resources/io/tether/server/web/RequestBodiesFuzzTestInputs/}.
 */
class RequestBodiesFuzzTest {

	private static final JsonMapper MAPPER = mapper();

	private static final Duration DEFAULT_TTL = Duration.ofHours(1);

	/** {@code POST /v1/certificates}. */
	@FuzzTest
	void issueRequest(byte[] input) {
		IssueRequest body = read(input, IssueRequest.class);
		if (body == null) {
			return;
		}
		try {
			Csr csr = RequestFields.csr(body.csr());
			RequestFields.spiffeId(body.spiffeId());
			RequestFields.dnsNames(body.dnsNames());
			assertThat(RequestFields.ttl(body.ttl(), DEFAULT_TTL)).isPositive();
			RequestFields.requireProofOfPossession(csr);
		}
		catch (ApiException ex) {
			assertClientError(ex);
		}
	}

	/** {@code POST /v1/entries}. */
	@FuzzTest
	void entryRequest(byte[] input) {
		EntryRequest body = read(input, EntryRequest.class);
		if (body == null) {
			return;
		}
		try {
			RequestFields.spiffeId(body.spiffeId());
			assertThat(AgentNames.validate(body.agent())).isEqualTo(body.agent());
			List<String> dnsNames = RequestFields.dnsNames(body.dnsNames());
			assertThat(dnsNames).doesNotHaveDuplicates();
			assertThat(RequestFields.ttl(body.ttl(), DEFAULT_TTL)).isPositive();
			RequestFields.subject(body.subject());
			assertThat(RequestFields.audiences(body.audiences())).doesNotHaveDuplicates()
				.hasSizeLessThanOrEqualTo(RequestFields.MAX_AUDIENCES);
		}
		catch (ApiException ex) {
			assertClientError(ex);
		}
	}

	/**
	 * The other bodies, each read from the same input: enrollment, join tokens, agent
	 * issuance, JWT-SVIDs, re-attestation, revocation, rotation.
	 */
	@FuzzTest
	void otherRequests(byte[] input) {
		try {
			EnrollRequest enroll = read(input, EnrollRequest.class);
			if (enroll != null) {
				RequestFields.csr(enroll.csr());
			}
			JoinTokenRequest joinToken = read(input, JoinTokenRequest.class);
			if (joinToken != null) {
				AgentNames.validate(joinToken.agent());
				RequestFields.ttl(joinToken.ttl(), DEFAULT_TTL);
			}
			EntryCsrRequest entryCsr = read(input, EntryCsrRequest.class);
			if (entryCsr != null) {
				RequestFields.csr(entryCsr.csr());
			}
			JwtSvidRequest jwtSvid = read(input, JwtSvidRequest.class);
			if (jwtSvid != null) {
				RequestFields.spiffeId(jwtSvid.spiffeId());
				RequestFields.audience("audience", jwtSvid.audience());
			}
			ReattestRequest reattest = read(input, ReattestRequest.class);
			if (reattest != null) {
				AgentNames.validate(reattest.agent());
				RequestFields.certificate("certificate", reattest.certificate());
				RequestFields.csr(reattest.csr());
			}
			read(input, RevokeRequest.class);
			read(input, RotateRequest.class);
		}
		catch (ApiException ex) {
			assertClientError(ex);
		}
	}

	static void assertClientError(ApiException ex) {
		assertThat(ex.getType().status()).as("status of %s: %s", ex.getType(), ex.getMessage()).isBetween(400, 499);
		assertThat(ex.getMessage()).isNotBlank();
	}

	/**
	 * The body as the endpoint gets it, or {@code null} where the API answers 400: a body
	 * Jackson refuses (its detail must say why in the API's terms) or JSON {@code null}.
	 */
	private static <T> T read(byte[] input, Class<T> type) {
		try {
			return MAPPER.readValue(input, type);
		}
		catch (JacksonException ex) {
			assertThat(JsonBodyErrors.detail(ex)).isNotBlank().doesNotContain("io.tether", "java.");
			return null;
		}
	}

	private static JsonMapper mapper() {
		JsonMapper.Builder builder = JsonMapper.builder();
		new StrictJsonConfiguration().strictRequestBodies().customize(builder);
		return builder.build();
	}

}
