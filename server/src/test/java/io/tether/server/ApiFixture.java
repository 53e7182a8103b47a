package io.tether.server;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.SpiffeId;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.FileSystemUtils;

import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running server on one database with 30 s minimum TTL, and the admin calls that
 * scenarios share: join tokens, enrollment, entries.
 */
final class ApiFixture implements AutoCloseable {

	private static final String TD = AgentApiScenarios.TD;

	private final Path workDir;

	private final ServerScenarios.Database database;

	private final RunningServer server;

	private ApiFixture(Path workDir, ServerScenarios.Database database, RunningServer server) {
		this.workDir = workDir;
		this.database = database;
		this.server = server;
	}

	static ApiFixture start(ServerScenarios.Database database) throws IOException {
		return start(database, Map.of());
	}

	/**
	 * @param settings server settings on top of the fixture's own
	 */
	static ApiFixture start(ServerScenarios.Database database, Map<String, Object> settings) throws IOException {
		Path workDir = Files.createTempDirectory("tether-api-it");
		Map<String, Object> properties = new HashMap<>(database.properties());
		properties.put("tether.trust-domain", TD);
		properties.put("tether.issuance.min-ttl", "PT30S");
		properties.putAll(settings);
		try {
			return new ApiFixture(workDir, database, RunningServer.start(workDir.resolve("data"), properties));
		}
		catch (RuntimeException ex) {
			database.close();
			throw ex;
		}
	}

	RunningServer server() {
		return this.server;
	}

	record Agent(KeyPair keys, List<X509Certificate> chain, HttpClient client) {
	}

	Agent enroll(String token, String name) {
		KeyPair keys = KeyType.EC_P256.generate();
		HttpResponse<String> response = enrollRequest(token, csr(keys, name));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode body = json.readTree(response.body());
		assertThat(body.get("agent").asString()).isEqualTo(name);
		List<X509Certificate> chain = Pem.readCertificates(body.get("certificateChain").asString());
		return new Agent(keys, chain, this.server.clientWith(keys.getPrivate(), chain));
	}

	HttpResponse<String> enrollRequest(String token, String csr) {
		return this.server.postJson(this.server.anonymousClient(), "/v1/agents/enroll",
				json.writeValueAsString(Map.of("joinToken", token, "csr", csr)));
	}

	static String csr(KeyPair keys, String agentName) {
		return Csr.create(keys, SpiffeId.parse("spiffe://" + TD + "/agent/" + agentName), List.of()).toPem();
	}

	String createToken(String agent, String ttl) {
		HttpResponse<String> response = this.server.postJson(this.server.adminClient(), "/v1/join-tokens",
				json.writeValueAsString(Map.of("agent", agent, "ttl", ttl)));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return json.readTree(response.body()).get("token").asString();
	}

	String createEntry(String spiffeId, String agent, List<String> dnsNames, String ttl) {
		HttpResponse<String> response = this.server.postJson(this.server.adminClient(), "/v1/entries", json
			.writeValueAsString(Map.of("spiffeId", spiffeId, "agent", agent, "dnsNames", dnsNames, "ttl", ttl)));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return json.readTree(response.body()).get("id").asString();
	}

	HttpResponse<String> postEntry(String spiffeId, String agent, String ttl) {
		return this.server.postJson(this.server.adminClient(), "/v1/entries",
				json.writeValueAsString(Map.of("spiffeId", spiffeId, "agent", agent, "ttl", ttl)));
	}

	JdbcTemplate jdbc() {
		return this.server.bean(JdbcTemplate.class);
	}

	@Override
	public void close() {
		this.server.close();
		this.database.close();
		FileSystemUtils.deleteRecursively(this.workDir.toFile());
	}

}
