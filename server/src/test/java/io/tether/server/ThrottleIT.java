package io.tether.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;

import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.SpiffeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import static io.tether.server.ServerScenarios.assertProblem;
import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate limits on the real server over HTTPS: a flood of bad join tokens from one
 * source address is refused with 429 while an agent from another address enrolls, a
 * throttled enrollment leaves its token usable, and an agent asking for too many
 * certificates is refused with nothing issued. Each 127.x.y.z address is a distinct
 * source (Linux answers the whole 127/8 on loopback). The refused join tokens keep their
 * default burst (10) but regain 1 an hour rather than 5 a minute, so that a slow machine
 * does not see one come back during the flood; the agent's limit is lowered to 3 at once
 * and 1 an hour, so that the test need not ask for 200 certificates. The server believes
 * it runs on Kubernetes, where Spring Boot would trust {@code X-Forwarded-For} from any
 * private address: the flood sends a new one with each request, and is throttled all the
 * same.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThrottleIT {

	private static final String TD = AgentApiScenarios.TD;

	private static final String ENROLL = "/v1/agents/enroll";

	private ApiFixture fixture;

	private RunningServer server;

	@BeforeAll
	void start() throws IOException {
		this.fixture = ApiFixture.start(new H2ServerIT().newDatabase(),
				Map.of("spring.main.cloud-platform", "kubernetes", "tether.throttle.join-token-failures.rate", "1",
						"tether.throttle.join-token-failures.period", "PT1H", "tether.throttle.agent-issuance.burst",
						"3", "tether.throttle.agent-issuance.rate", "1", "tether.throttle.agent-issuance.period",
						"PT1H"));
		this.server = this.fixture.server();
	}

	@AfterAll
	void stop() {
		this.fixture.close();
	}

	@Test
	void aFloodOfBadJoinTokensFromOneSourceIsRefusedWhileAnAgentFromAnotherEnrolls() {
		InetAddress flood = address("127.0.0.2");
		double before = throttled("join-token-failures");
		int refusedTokens = 0;
		int throttled = 0;
		for (int i = 0; i < 40; i++) {
			String csr = ApiFixture.csr(KeyType.EC_P256.generate(), "host-flood");
			RawHttp.Response response = RawHttp.postJson(this.server, ENROLL,
					json.writeValueAsString(Map.of("joinToken", "tj1.bad" + i + ".secret.root", "csr", csr)), flood,
					"X-Forwarded-For: 198.51.100." + i + "\r\n");
			if (response.status() == 401) {
				assertThat(throttled).as("no token is looked at once the source is throttled").isZero();
				refusedTokens++;
				continue;
			}
			throttled++;
			assertThrottled(response);
		}
		assertThat(refusedTokens).as("the default burst of refused join tokens").isEqualTo(10);
		assertThat(throttled).isEqualTo(30);
		assertThat(throttled("join-token-failures") - before).isEqualTo(30);

		String token = this.fixture.createToken("host-legit", "PT15M");
		RawHttp.Response enrolled = enroll(token, "host-legit", address("127.0.0.3"));
		assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(200);
		assertThat(json.readTree(enrolled.body()).get("agent").asString()).isEqualTo("host-legit");
	}

	@Test
	void badOperatorEnrollmentTokensSpendTheSourcesAllowanceOfRefusedTokens() {
		InetAddress flood = address("127.0.0.6");
		String csr = Csr
			.create(KeyType.EC_P256.generate(), SpiffeId.parse("spiffe://" + TD + "/tether/operator/eve"), List.of())
			.toPem();
		for (int i = 0; i < 10; i++) {
			RawHttp.Response refused = RawHttp.postJson(this.server, "/v1/operators/enroll",
					json.writeValueAsString(Map.of("token", "to1.eve.bad" + i + ".root", "csr", csr)), flood, "");
			assertThat(refused.status()).as(refused.body()).isEqualTo(401);
			assertThat(refused.body()).contains("invalid-enrollment-token");
		}
		assertThrottled(RawHttp.postJson(this.server, "/v1/operators/enroll",
				json.writeValueAsString(Map.of("token", "to1.eve.bad.root", "csr", csr)), flood, ""));
		// one allowance per source, for agents and operators alike
		String token = this.fixture.createToken("host-after-eve", "PT15M");
		assertThrottled(enroll(token, "host-after-eve", flood));
		assertThat(enroll(token, "host-after-eve", address("127.0.0.7")).status()).isEqualTo(200);
	}

	@Test
	void aThrottledEnrollmentLeavesItsJoinTokenUsable() {
		InetAddress flood = address("127.0.0.4");
		for (int i = 0; i < 10; i++) {
			assertThat(enroll("tj1.bad" + i + ".secret.root", "host-later", flood).status()).isEqualTo(401);
		}
		String token = this.fixture.createToken("host-later", "PT15M");
		long rows = this.server.certificateRows();

		assertThrottled(enroll(token, "host-later", flood));
		assertThat(this.server.certificateRows()).as("nothing issued").isEqualTo(rows);
		assertThat(this.fixture.jdbc()
			.queryForObject("select count(*) from join_token where agent_name = 'host-later' and used_at is null",
					Long.class))
			.as("the token is not spent")
			.isEqualTo(1);

		RawHttp.Response enrolled = enroll(token, "host-later", address("127.0.0.5"));
		assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(200);
	}

	@Test
	void anAgentAskingForTooManyCertificatesIsRefusedAndNothingIsIssued() {
		ApiFixture.Agent greedy = this.fixture.enroll(this.fixture.createToken("host-greedy", "PT15M"), "host-greedy");
		ApiFixture.Agent other = this.fixture.enroll(this.fixture.createToken("host-other", "PT15M"), "host-other");
		String entry = this.fixture.createEntry("spiffe://" + TD + "/ns/greedy", "host-greedy", List.of(), "PT5M");
		String otherEntry = this.fixture.createEntry("spiffe://" + TD + "/ns/other", "host-other", List.of(), "PT5M");
		double before = throttled("agent-issuance");

		for (int i = 0; i < 3; i++) {
			HttpResponse<String> issued = issue(greedy, entry, "/ns/greedy");
			assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
		}
		long rows = this.server.certificateRows();
		HttpResponse<String> refused = issue(greedy, entry, "/ns/greedy");
		assertProblem(refused, 429, "too-many-requests");
		assertThat(retryAfter(refused)).as("1 an hour").isBetween(3590L, 3600L);
		HttpResponse<String> renewal = this.server.postJson(greedy.client(), "/v1/agents/self/renew",
				json.writeValueAsString(Map.of("csr", ApiFixture.csr(KeyType.EC_P256.generate(), "host-greedy"))));
		assertProblem(renewal, 429, "too-many-requests");
		assertThat(this.server.certificateRows()).as("nothing issued").isEqualTo(rows);
		assertThat(throttled("agent-issuance") - before).isEqualTo(2);

		HttpResponse<String> others = issue(other, otherEntry, "/ns/other");
		assertThat(others.statusCode()).as("another agent has its own bucket: " + others.body()).isEqualTo(200);
	}

	private HttpResponse<String> issue(ApiFixture.Agent agent, String entry, String path) {
		KeyPair keys = KeyType.EC_P256.generate();
		String csr = Csr.create(keys, SpiffeId.parse("spiffe://" + TD + path), List.of()).toPem();
		return this.server.postJson(agent.client(), "/v1/agents/self/certificates",
				json.writeValueAsString(Map.of("entryId", entry, "csr", csr)));
	}

	private RawHttp.Response enroll(String token, String agent, InetAddress source) {
		String csr = ApiFixture.csr(KeyType.EC_P256.generate(), agent);
		return RawHttp.postJson(this.server, ENROLL, json.writeValueAsString(Map.of("joinToken", token, "csr", csr)),
				source);
	}

	private static void assertThrottled(RawHttp.Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(429);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(Long.parseLong(response.header("Retry-After"))).as("1 an hour").isBetween(3500L, 3600L);
		JsonNode problem = json.readTree(response.body());
		assertThat(problem.get("type").asString()).isEqualTo("urn:tether:problem:too-many-requests");
		assertThat(problem.get("status").asInt()).isEqualTo(429);
		assertThat(problem.get("detail").asString()).contains("Retry in");
	}

	private static long retryAfter(HttpResponse<String> response) {
		return Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
	}

	private double throttled(String limit) {
		HttpResponse<String> response = RunningServer.send(java.net.http.HttpClient.newHttpClient(),
				HttpRequest.newBuilder(this.server.managementUri("/actuator/prometheus")).GET().build());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		List<Scrape.Sample> samples = Scrape.parse(response.body())
			.find("tether_throttled_total", Map.of("limit", limit));
		assertThat(samples).as("the counter is registered from the start").hasSize(1);
		return samples.get(0).value();
	}

	private static InetAddress address(String address) {
		try {
			return InetAddress.getByName(address);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
