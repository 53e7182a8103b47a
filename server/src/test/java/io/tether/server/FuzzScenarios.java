package io.tether.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.tether.api.Problem;
import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.SerialNumbers;
import io.tether.pki.SpiffeId;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of mutated requests against every endpoint, as every identity: bodies,
 * headers, query strings, paths, methods and encodings. Whatever is sent, the server
 * never answers 5xx, every 4xx is a problem document, and a refused request leaves every
 * table as it was. Seeded ({@code -Dfuzz.seed=N} replays a run, {@code -Dfuzz.requests=N}
 * sets the count) and bounded in count and time. Subclasses pick H2 or PostgreSQL.
 */
abstract class FuzzScenarios extends FixtureScenarios {

	private static final String TD = AgentApiScenarios.TD;

	private static final JsonMapper PROBLEMS = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private static final int REQUESTS = Integer.getInteger("fuzz.requests", 2500);

	private static final Duration TIME_LIMIT = Duration.ofSeconds(90);

	private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

	private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml",
			"application/x-www-form-urlencoded", "application/json; charset=ISO-8859-1", "multipart/form-data",
			"application/json;;", "/", "application/problem+json", "application/*");

	private static final List<String> ACCEPTS = List.of("text/html", "application/xml", "image/*",
			"application/json;q=0", "x", "*/*;q=abc", "application/problem+json", "text/*, */*;q=0");

	private static final List<String> PATH_VALUES = List.of("%00", "%ff", "%2e%2e", "..", "%2F", "a%2Fb", "%5c",
			"%C0%80", "%EF%BF%BF", "-1", "0", "00", "x".repeat(3000), "%F0%9F%94%A5", "%20", "%7f", "null", "%25",
			"0x1f", "ff".repeat(40), "%E2%80%AE");

	private static final List<String> QUERIES = List.of("limit=-1", "limit=0", "limit=99999999999", "limit=abc",
			"since=P99999999999D", "since=%2B999999999-12-31T23:59:59Z", "since=", "since=0T", "status=x", "status=",
			"expiringWithin=0s", "expiringWithin=P99999999999D", "agent=%00", "agent=" + "a".repeat(5000), "agent=%ff",
			"spiffeId=spiffe%3A%2F%2F%00", "x5tS256=%00", "x5tS256=" + "A".repeat(43), "intermediates=2",
			"intermediates=", "=x", "a=%00", "a=%C3%28", "%00=1", "&&&", "a=1&a=2", "limit=1&limit=2");

	private record Target(String method, String path, Identity identity, Map<String, Object> body) {
	}

	private enum Identity {

		ANONYMOUS, ADMIN, AGENT

	}

	private final List<String> failures = new ArrayList<>();

	@Test
	void mutatedRequestsNeverFailTheServerNorChangeStateWhenRefused() {
		long seed = Long.getLong("fuzz.seed", 20261201L);
		Random random = new Random(seed);
		ApiFixture.Agent agent = this.fixture.enroll(this.fixture.createToken("host-fuzz", "PT1H"), "host-fuzz");
		String entry = this.fixture.createEntry("spiffe://" + TD + "/ns/fuzz", "host-fuzz", List.of("fuzz.internal"),
				"PT5M");
		Map<Identity, HttpClient> clients = Map.of(Identity.ANONYMOUS, this.server.anonymousClient(), Identity.ADMIN,
				this.server.adminClient(), Identity.AGENT, agent.client());
		List<Target> targets = targets(agent, entry);

		Rows.Snapshot rows = Rows.snapshot(this.fixture.jdbc());
		Instant deadline = Instant.now().plus(TIME_LIMIT);
		int sent = 0;
		int refused = 0;
		int unanswered = 0;
		while (sent < REQUESTS && Instant.now().isBefore(deadline) && this.failures.size() < 20) {
			Target target = targets.get(random.nextInt(targets.size()));
			Identity identity = (random.nextInt(4) == 0) ? Identity.values()[random.nextInt(3)] : target.identity();
			Mutated request = mutate(target, random);
			if (random.nextInt(4) == 0) {
				// two changes at once: a method with a content type and a body, say
				request = mutate(new Target(request.method(), request.path(), target.identity(), target.body()), random)
					.withHeadersOf(request);
			}
			HttpResponse<String> response;
			try {
				response = RunningServer.send(clients.get(identity), request.build(this.server));
			}
			catch (RuntimeException ex) {
				// a request Java's client refuses to send, or a connection the server
				// closed after refusing a body: a refusal, which must have changed
				// nothing
				unanswered++;
				Rows.Snapshot after = Rows.snapshot(this.fixture.jdbc());
				if (!after.equals(rows)) {
					this.failures.add("state changed by an unanswered request: " + identity + " " + request.describe()
							+ " (" + ex + ")");
					rows = after;
				}
				continue;
			}
			sent++;
			String what = identity + " " + request.describe() + " -> " + response.statusCode();
			check(what, response);
			if (response.statusCode() >= 400) {
				refused++;
				Rows.Snapshot after = Rows.snapshot(this.fixture.jdbc());
				if (!after.equals(rows)) {
					this.failures.add("state changed by a refused request: " + what);
					rows = after;
				}
			}
			else {
				rows = Rows.snapshot(this.fixture.jdbc());
			}
		}
		assertThat(this.failures).as("seed " + seed + ", " + sent + " requests sent").isEmpty();
		assertThat(sent).as("requests that reached the server in the time allowed").isGreaterThan(REQUESTS / 2);
		assertThat(refused).as("most mutations are refused").isGreaterThan(sent / 2);
		assertThat(unanswered).as("requests that got no answer at all").isLessThan(sent / 10);
	}

	private void check(String what, HttpResponse<String> response) {
		int status = response.statusCode();
		if (status >= 500) {
			this.failures.add(what + " " + response.body());
			return;
		}
		if (status < 400) {
			return;
		}
		String type = response.headers().firstValue("Content-Type").orElse("");
		if (!type.startsWith("application/problem+json")) {
			this.failures.add(what + " answered " + type + ": " + response.body());
			return;
		}
		try {
			// the wire contract's record, as Tether's clients read it
			Problem problem = PROBLEMS.readValue(response.body(), Problem.class);
			if (problem.problemType().isEmpty() || !Integer.valueOf(status).equals(problem.status())
					|| problem.detail() == null || problem.detail().isBlank()) {
				this.failures.add(what + " incomplete problem: " + response.body());
			}
		}
		catch (RuntimeException ex) {
			this.failures.add(what + " problem is not JSON: " + response.body());
		}
	}

	private List<Target> targets(ApiFixture.Agent agent, String entry) {
		String workload = "spiffe://" + TD + "/ns/fuzz";
		String serial = SerialNumbers.toHex(agent.chain().get(0).getSerialNumber());
		KeyPair workloadKeys = KeyType.EC_P256.generate();
		String workloadCsr = Csr.create(workloadKeys, SpiffeId.parse(workload), List.of("fuzz.internal")).toPem();
		String agentCsr = Csr.create(agent.keys(), SpiffeId.parse("spiffe://" + TD + "/agent/host-fuzz"), List.of())
			.toPem();
		String token = this.fixture.createToken("host-fuzz-2", "PT1H");
		String enrollCsr = ApiFixture.csr(KeyType.EC_P256.generate(), "host-fuzz-2");
		List<Target> targets = new ArrayList<>();
		for (String path : List.of("/v1/bundle", "/v1/bundle?intermediates=true", "/v1/bundle/spiffe")) {
			targets.add(new Target("GET", path, Identity.ANONYMOUS, null));
		}
		HttpResponse<String> operator = this.server.postJson(this.server.adminClient(), "/v1/operators",
				json.writeValueAsString(body("name", "fuzz-op", "role", "operator")));
		assertThat(operator.statusCode()).as(operator.body()).isEqualTo(201);
		String operatorToken = json.readTree(operator.body()).get("token").asString();
		String operatorCsr = Csr
			.create(KeyType.EC_P256.generate(), SpiffeId.parse("spiffe://" + TD + "/tether/operator/fuzz-op"),
					List.of())
			.toPem();
		for (String path : List.of("/v1/audit/verify", "/v1/audit/export?after=0", "/v1/operators",
				"/v1/operators/fuzz-op")) {
			targets.add(new Target("GET", path, Identity.ADMIN, null));
		}
		targets.add(new Target("POST", "/v1/operators", Identity.ADMIN, body("name", "fuzz-op-2", "role", "auditor")));
		targets.add(new Target("POST", "/v1/operators/nobody/token", Identity.ADMIN, null));
		targets.add(new Target("POST", "/v1/operators/nobody/revoke", Identity.ADMIN, null));
		targets.add(new Target("POST", "/v1/operators/enroll", Identity.ANONYMOUS,
				body("token", operatorToken, "csr", operatorCsr)));
		targets.add(new Target("POST", "/v1/operators/renew", Identity.ADMIN, body("csr", operatorCsr)));
		for (String path : List.of("/v1/ca", "/v1/status", "/v1/audit?since=1h&limit=10",
				"/v1/certificates?status=valid&limit=5", "/v1/certificates?expiringWithin=1h",
				"/v1/certificates/{serial}", "/v1/entries", "/v1/entries?agent=host-fuzz", "/v1/entries/{entry}",
				"/v1/agents", "/v1/agents/{agent}", "/v1/certificates/status?x5tS256=" + "A".repeat(43))) {
			targets.add(new Target("GET",
					path.replace("{serial}", serial).replace("{entry}", entry).replace("{agent}", "host-fuzz"),
					Identity.ADMIN, null));
		}
		targets.add(new Target("POST", "/v1/certificates", Identity.ADMIN,
				body("csr", workloadCsr, "spiffeId", workload, "dnsNames", List.of("fuzz.internal"), "ttl", "5m")));
		targets.add(new Target("POST", "/v1/certificates/{serial}/revoke".replace("{serial}", "00" + "ab".repeat(8)),
				Identity.ADMIN, body("reason", "keyCompromise")));
		targets.add(new Target("POST", "/v1/entries", Identity.ADMIN, body("spiffeId", workload + "/x", "agent",
				"host-fuzz", "dnsNames", List.of("a.fuzz.internal"), "ttl", "10m")));
		targets.add(new Target("DELETE", "/v1/entries/" + "0".repeat(8), Identity.ADMIN, null));
		targets.add(new Target("POST", "/v1/join-tokens", Identity.ADMIN, body("agent", "host-fuzz-3", "ttl", "5m")));
		targets.add(new Target("POST", "/v1/agents/nobody/evict", Identity.ADMIN, null));
		targets.add(new Target("POST", "/v1/agents/enroll", Identity.ANONYMOUS,
				body("joinToken", token, "csr", enrollCsr)));
		targets.add(new Target("POST", "/v1/agents/reattest", Identity.ANONYMOUS,
				body("agent", "host-fuzz", "certificate", Pem.write(List.of(agent.chain().get(0))), "csr", agentCsr)));
		targets.add(new Target("GET", "/v1/agents/self/entries", Identity.AGENT, null));
		targets.add(new Target("POST", "/v1/agents/self/renew", Identity.AGENT, body("csr", agentCsr)));
		targets.add(new Target("POST", "/v1/agents/self/certificates", Identity.AGENT,
				body("entryId", entry, "csr", workloadCsr)));
		return targets;
	}

	private static Map<String, Object> body(Object... pairs) {
		Map<String, Object> body = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			body.put((String) pairs[i], pairs[i + 1]);
		}
		return body;
	}

	/**
	 * One request, described for the failure report.
	 */
	private record Mutated(String method, String path, byte[] body, Map<String, String> headers, String change) {

		HttpRequest build(RunningServer server) {
			HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.uri("") + this.path))
				.timeout(Duration.ofSeconds(20));
			this.headers.forEach(builder::header);
			HttpRequest.BodyPublisher publisher = (this.body != null)
					? HttpRequest.BodyPublishers.ofByteArray(this.body) : HttpRequest.BodyPublishers.noBody();
			return builder.method(this.method, publisher).build();
		}

		Mutated withHeadersOf(Mutated other) {
			Map<String, String> merged = new LinkedHashMap<>(other.headers);
			merged.putAll(this.headers);
			byte[] mergedBody = (this.body != null) ? this.body : other.body;
			if ("GET".equals(this.method) || "OPTIONS".equals(this.method)) {
				mergedBody = null;
			}
			return new Mutated(this.method, this.path, mergedBody, merged, other.change + " + " + this.change);
		}

		String describe() {
			String shown = (this.body != null) ? new String(this.body, StandardCharsets.UTF_8) : "";
			shown = (shown.length() > 200) ? shown.substring(0, 200) + "..." : shown;
			return this.method + " " + ((this.path.length() > 200) ? this.path.substring(0, 200) + "..." : this.path)
					+ " [" + this.change + "] " + this.headers + " " + shown;
		}

	}

	private static Mutated mutate(Target target, Random random) {
		String method = target.method();
		String path = target.path();
		Map<String, Object> members = (target.body() != null) ? new LinkedHashMap<>(target.body()) : null;
		String text = (members != null) ? json.writeValueAsString(members) : null;
		byte[] raw = null;
		Map<String, String> headers = new LinkedHashMap<>();
		if (members != null) {
			headers.put("Content-Type", "application/json");
		}
		String change;
		switch (random.nextInt(10)) {
			case 0, 1, 2 -> {
				if (members == null || members.isEmpty()) {
					members = new LinkedHashMap<>(Map.of("x", "y"));
					headers.put("Content-Type", "application/json");
				}
				List<String> names = new ArrayList<>(members.keySet());
				String name = names.get(random.nextInt(names.size()));
				Object value = strangeValue(random);
				change = "member " + name + " = " + shorten(String.valueOf(value));
				if (value == Drop.MEMBER) {
					members.remove(name);
				}
				else {
					members.put(name, value);
				}
				text = json.writeValueAsString(members);
			}
			case 3 -> {
				String base = (text != null) ? text : "{\"a\":1}";
				headers.put("Content-Type", "application/json");
				int kind = random.nextInt(7);
				change = "text mutation " + kind;
				text = switch (kind) {
					case 0 -> base.substring(0, random.nextInt(base.length()));
					case 1 -> base.replaceFirst("\\{\"(\\w+)\":", "{\"$1\":\"dup\",\"$1\":");
					case 2 -> base.replaceFirst("}$", ",\"unknown\":1}");
					case 3 -> "[" + base + "]";
					case 4 -> "[".repeat(5000) + "]".repeat(5000);
					case 5 -> base + base;
					default -> List.of("", "null", "true", "1", "\"x\"", "{", "}", "{}").get(random.nextInt(8));
				};
			}
			case 4 -> {
				byte[] bytes = ((text != null) ? text : "{\"a\":\"b\"}").getBytes(StandardCharsets.UTF_8);
				int flips = 1 + random.nextInt(4);
				for (int i = 0; i < flips; i++) {
					bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
				}
				raw = bytes;
				headers.put("Content-Type", "application/json");
				change = flips + " random bytes";
			}
			case 5 -> {
				if (random.nextBoolean()) {
					headers.put("Content-Type", CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size())));
					change = "content type " + headers.get("Content-Type");
				}
				else {
					headers.put("Accept", ACCEPTS.get(random.nextInt(ACCEPTS.size())));
					change = "accept " + headers.get("Accept");
				}
			}
			case 6 -> {
				String query = QUERIES.get(random.nextInt(QUERIES.size()));
				path = path + (path.contains("?") ? "&" : "?") + query;
				change = "query " + shorten(query);
			}
			case 7 -> {
				String value = PATH_VALUES.get(random.nextInt(PATH_VALUES.size()));
				String[] segments = path.split("\\?", 2)[0].split("/");
				int at = 2 + random.nextInt(Math.max(1, segments.length - 2));
				if (at < segments.length) {
					segments[at] = value;
				}
				path = String.join("/", segments) + ((at >= segments.length) ? "/" + value : "");
				change = "path segment " + shorten(value);
			}
			case 8 -> {
				method = METHODS.get(random.nextInt(METHODS.size()));
				change = "method " + method;
			}
			default -> {
				text = (text != null) ? text.replace("\"", "\"\\u0000") : null;
				change = "NUL in every string";
			}
		}
		byte[] body = (raw != null) ? raw : (text != null) ? text.getBytes(StandardCharsets.UTF_8) : null;
		if (body == null && !"GET".equals(method) && !"OPTIONS".equals(method) && !"DELETE".equals(method)) {
			body = new byte[0];
		}
		if ("GET".equals(method) || "OPTIONS".equals(method)) {
			body = null;
		}
		return new Mutated(method, path, body, headers, change);
	}

	private enum Drop {

		MEMBER

	}

	private static Object strangeValue(Random random) {
		return switch (random.nextInt(16)) {
			case 0 -> Drop.MEMBER;
			case 1 -> true;
			case 2 -> 42;
			case 3 -> -1.5e308;
			case 4 -> "";
			case 5 -> " ";
			case 6 -> "x".repeat(70_000);
			case 7 -> "x".repeat(5_000);
			case 8 -> "\u0000";
			case 9 -> "\uD83D\uDD25\u202E\uFFFF";
			case 10 -> Map.of("nested", List.of(1, 2));
			case 11 -> List.of("a", "b");
			case 12 -> List.of("x".repeat(253) + ".example");
			case 13 -> "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n";
			case 14 -> "spiffe://" + TD + "/" + "p/".repeat(1500);
			default -> List.of(List.of(List.of()));
		};
	}

	private static String shorten(String text) {
		return (text.length() > 60) ? text.substring(0, 60) + "..." : text;
	}

}
