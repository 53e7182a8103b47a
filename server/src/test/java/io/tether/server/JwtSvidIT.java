package io.tether.server;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import static io.tether.server.ServerScenarios.assertProblem;
import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/agents/self/jwt-svids}: an agent obtains JWT-SVIDs for its entries'
 * audiences only, signed by a key the SPIFFE bundle publishes, which an independent JOSE
 * implementation (nimbus) verifies; the key rotates, published before it signs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwtSvidIT {

	private static final String TD = AgentApiScenarios.TD;

	ApiFixture fixture;

	RunningServer server;

	@BeforeAll
	void start() throws Exception {
		// short key lives, so that a rotation happens within the test
		this.fixture = ApiFixture.start(new H2ServerIT().newDatabase(),
				Map.of("tether.jwt-svid.ttl", "PT2M", "tether.jwt-svid.key-ttl", "PT12S",
						"tether.jwt-svid.publish-ahead", "PT6S", "tether.jwt-svid.check-interval", "PT1S"));
		this.server = this.fixture.server();
	}

	@AfterAll
	void stop() {
		if (this.fixture != null) {
			this.fixture.close();
		}
	}

	@Test
	void allowedAudienceGetsATokenThatVerifiesWithTheBundlesJwtKey() throws Exception {
		ApiFixture.Agent agent = this.fixture.enroll(this.fixture.createToken("host-jwt", "PT15M"), "host-jwt");
		String spiffeId = "spiffe://" + TD + "/ns/orders";
		createEntry(spiffeId, "host-jwt", List.of("orders", "https://kc.example/realms/x"));

		Instant before = Instant.now().minusSeconds(1);
		HttpResponse<String> response = jwtSvid(agent, spiffeId, "https://kc.example/realms/x");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode body = json.readTree(response.body());
		SignedJWT jwt = SignedJWT.parse(body.get("token").asString());

		JWKSet bundle = JWKSet.parse(this.server.get(this.server.anonymousClient(), "/v1/bundle/spiffe").body());
		JWK key = bundle.getKeyByKeyId(jwt.getHeader().getKeyID());
		assertThat(key).as("the signing key is in the bundle").isNotNull();
		assertThat(key.getKeyUse()).isEqualTo(new KeyUse("jwt-svid"));
		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
		assertThat(jwt.getHeader().getType().getType()).isEqualTo("JWT");
		assertThat(jwt.verify(new ECDSAVerifier((ECKey) key))).isTrue();

		assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(spiffeId);
		assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("https://kc.example/realms/x");
		assertThat(jwt.getJWTClaimsSet().getJWTID()).isNotBlank();
		Instant exp = jwt.getJWTClaimsSet().getExpirationTime().toInstant();
		Instant iat = jwt.getJWTClaimsSet().getIssueTime().toInstant();
		assertThat(Duration.between(iat, exp)).isEqualTo(Duration.ofMinutes(2));
		assertThat(iat).isBetween(before.minusSeconds(1), Instant.now());
		assertThat(body.get("expiresAt").asString()).isEqualTo(exp.toString());
		assertThat(body.get("kid").asString()).isEqualTo(key.getKeyID());

		Long audited = this.fixture.jdbc()
			.queryForObject("select count(*) from audit_event where action = 'jwt-svid.issued' and subject = ?",
					Long.class, spiffeId);
		assertThat(audited).isEqualTo(1);
	}

	@Test
	void audienceNotOnTheEntryIsRefusedAndChangesNothing() {
		ApiFixture.Agent agent = this.fixture.enroll(this.fixture.createToken("host-aud", "PT15M"), "host-aud");
		String spiffeId = "spiffe://" + TD + "/ns/aud";
		createEntry(spiffeId, "host-aud", List.of("orders"));
		long audit = auditRows();
		assertProblem(jwtSvid(agent, spiffeId, "payments"), 403, "audience-not-allowed");
		assertProblem(jwtSvid(agent, spiffeId, "orders "), 400, "bad-request");
		assertThat(auditRows()).isEqualTo(audit);
	}

	@Test
	void anotherAgentsEntryIsRefused() {
		ApiFixture.Agent agent = this.fixture.enroll(this.fixture.createToken("host-mine", "PT15M"), "host-mine");
		String theirs = "spiffe://" + TD + "/ns/theirs";
		createEntry(theirs, "host-theirs", List.of("orders"));
		long audit = auditRows();
		assertProblem(jwtSvid(agent, theirs, "orders"), 403, "entry-not-assigned");
		assertProblem(this.server.postJson(this.server.adminClient(), "/v1/agents/self/jwt-svids",
				json.writeValueAsString(Map.of("spiffeId", theirs, "audience", "orders"))), 403, "not-agent");
		assertThat(auditRows()).isEqualTo(audit);
	}

	@Test
	void signingKeyRotatesPublishedBeforeUseAndTheSequenceMoves() throws Exception {
		ApiFixture.Agent agent = this.fixture.enroll(this.fixture.createToken("host-rot", "PT15M"), "host-rot");
		String spiffeId = "spiffe://" + TD + "/ns/rot";
		createEntry(spiffeId, "host-rot", List.of("orders"));
		String firstKid = kid(jwtSvid(agent, spiffeId, "orders"));
		long firstSequence = sequence();
		Instant deadline = Instant.now().plusSeconds(40);
		String kid = firstKid;
		while (kid.equals(firstKid)) {
			assertThat(Instant.now()).as("a 12 s key is followed by another").isBefore(deadline);
			Thread.sleep(500);
			String bundleBefore = this.server.get(this.server.anonymousClient(), "/v1/bundle/spiffe").body();
			kid = kid(jwtSvid(agent, spiffeId, "orders"));
			if (!kid.equals(firstKid)) {
				// it was in the bundle before it signed anything
				assertThat(JWKSet.parse(bundleBefore).getKeyByKeyId(kid)).isNotNull();
			}
		}
		JWKSet bundle = JWKSet.parse(this.server.get(this.server.anonymousClient(), "/v1/bundle/spiffe").body());
		assertThat(bundle.getKeyByKeyId(firstKid)).as("the old key stays published for its tokens").isNotNull();
		assertThat(sequence()).isGreaterThan(firstSequence);
	}

	private void createEntry(String spiffeId, String agent, List<String> audiences) {
		Map<String, Object> body = new HashMap<>();
		body.put("spiffeId", spiffeId);
		body.put("agent", agent);
		body.put("audiences", audiences);
		HttpResponse<String> response = this.server.postJson(this.server.adminClient(), "/v1/entries",
				json.writeValueAsString(body));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		assertThat(json.readTree(response.body()).get("audiences")).extracting(JsonNode::asString)
			.containsExactlyElementsOf(audiences);
	}

	private HttpResponse<String> jwtSvid(ApiFixture.Agent agent, String spiffeId, String audience) {
		return this.server.postJson(agent.client(), "/v1/agents/self/jwt-svids",
				json.writeValueAsString(Map.of("spiffeId", spiffeId, "audience", audience)));
	}

	private static String kid(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body()).get("kid").asString();
	}

	private long sequence() {
		return json.readTree(this.server.get(this.server.anonymousClient(), "/v1/bundle/spiffe").body())
			.get("spiffe_sequence")
			.asLong();
	}

	private long auditRows() {
		// the key rotation audits on its own schedule: count what a request would add
		return this.fixture.jdbc()
			.queryForObject("select count(*) from audit_event where action = 'jwt-svid.issued'", Long.class);
	}

}
