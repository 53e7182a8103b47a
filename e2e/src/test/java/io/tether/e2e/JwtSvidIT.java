package io.tether.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.tether.pki.testing.Commands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real agent keeps a JWT-SVID file fresh: the server issues 20 s JWT-SVIDs, the agent
 * replaces the file before the token in it expires, and python-cryptography, knowing
 * nothing of Tether, verifies each token against the {@code jwt-svid} keys of the
 * server's SPIFFE bundle. The agent's workload certificate carries the subject derived
 * from its SPIFFE ID, as openssl prints it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwtSvidIT {

	private static final String SPIFFE_ID = "spiffe://" + TetherServer.TRUST_DOMAIN + "/ns/jwt";

	private Path work;

	private TetherServer server;

	private RunningProcess agent;

	@BeforeAll
	void start() throws IOException {
		this.work = Files.createTempDirectory("tether-e2e-jwt");
		this.server = new TetherServer(this.work.resolve("server"), RunningProcess.freePort())
			.with("--tether.jwt-svid.ttl=PT20S")
			.start();
	}

	@AfterAll
	void stop() {
		if (this.agent != null) {
			this.agent.close();
		}
		if (this.server != null) {
			this.server.close();
		}
		try (var paths = Files.walk(this.work)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a leftover temporary directory is not a test failure
		}
	}

	@Test
	void jwtSvidFileIsRefreshedBeforeExpiryAndVerifiesWithTheBundlesJwks() throws Exception {
		this.server.post("/v1/entries", Map.of("spiffeId", SPIFFE_ID, "agent", "host-jwt", "dnsNames", List.of(), "ttl",
				"PT5M", "audiences", List.of("orders")));
		Path out = this.work.resolve("out");
		Path tokenFile = out.resolve("orders.jwt");
		Path config = this.work.resolve("agent.yaml");
		Files.writeString(config, """
				servers: [%s]
				name: host-jwt
				trustDomain: %s
				joinToken: %s
				dataDir: %s
				workloads:
				  - spiffeId: %s
				    outputs: {certificate: %s/cert.pem, key: %s/key.pem, bundle: %s/bundle.pem}
				    jwtSvids:
				      - {audience: orders, file: %s}
				""".formatted(this.server.url(), TetherServer.TRUST_DOMAIN, this.server.createToken("host-jwt"),
				this.work.resolve("agent-data"), SPIFFE_ID, out, out, out, tokenFile));
		this.agent = RunningProcess.start(AgentProcess.command(config), this.work.resolve("agent.log"));

		RunningProcess.await("the first JWT-SVID file", Duration.ofSeconds(30), () -> Files.exists(tokenFile));
		String first = Files.readString(tokenFile).strip();
		JsonNode firstClaims = verify(first);
		assertThat(firstClaims.get("sub").asString()).isEqualTo(SPIFFE_ID);
		assertThat(firstClaims.get("aud")).extracting(JsonNode::asString).containsExactly("orders");
		Instant firstExpiry = Instant.ofEpochSecond(firstClaims.get("exp").asLong());
		assertThat(Duration.between(Instant.ofEpochSecond(firstClaims.get("iat").asLong()), firstExpiry))
			.isEqualTo(Duration.ofSeconds(20));

		RunningProcess.await("a new token in the file", Duration.ofSeconds(30),
				() -> !read(tokenFile).strip().equals(first));
		Instant replacedAt = Instant.now();
		assertThat(replacedAt).as("replaced before the first expired").isBefore(firstExpiry);
		JsonNode secondClaims = verify(Files.readString(tokenFile).strip());
		assertThat(secondClaims.get("sub").asString()).isEqualTo(SPIFFE_ID);
		assertThat(secondClaims.get("jti").asString()).isNotEqualTo(firstClaims.get("jti").asString());
		assertThat(Files.getPosixFilePermissions(tokenFile))
			.isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

		Commands.Result subject = Commands.run(out, "openssl", "x509", "-in", "cert.pem", "-noout", "-subject",
				"-nameopt", "RFC2253");
		assertThat(subject.output().strip()).isEqualTo("subject=CN=ns/jwt,O=" + TetherServer.TRUST_DOMAIN);
	}

	/**
	 * Verifies the token with python-cryptography against the bundle's JWKS, fetched now,
	 * and returns its claims.
	 */
	private JsonNode verify(String token) throws IOException {
		Path dir = Files.createTempDirectory(this.work, "verify");
		Files.writeString(dir.resolve("jwks.json"),
				TetherServer.JSON.writeValueAsString(this.server.get("/v1/bundle/spiffe")));
		Files.writeString(dir.resolve("token.jwt"), token);
		Files.writeString(dir.resolve("verify.py"), PYTHON_VERIFY);
		Commands.Result result = Commands.run(dir, System.getenv().getOrDefault("TETHER_PYTHON", "python3"),
				"verify.py");
		assertThat(result.exitCode()).as(result.output()).isZero();
		String[] lines = result.output().strip().split("\n");
		return TetherServer.JSON.readTree(lines[lines.length - 1]);
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			return "";
		}
	}

	/**
	 * ES256 by hand with python-cryptography (PyJWT is not installed here): the key named
	 * by the header's kid among the bundle's jwt-svid keys, the raw r||s signature turned
	 * into DER, then sub, aud and exp checked. Prints the claims as one JSON line.
	 */
	private static final String PYTHON_VERIFY = """
			import base64, json, sys, time
			from cryptography.hazmat.primitives import hashes
			from cryptography.hazmat.primitives.asymmetric import ec
			from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

			def b64(text):
			    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

			jwks = json.load(open("jwks.json"))
			token = open("token.jwt").read().strip()
			header_b64, claims_b64, signature_b64 = token.split(".")
			header = json.loads(b64(header_b64))
			claims = json.loads(b64(claims_b64))
			assert header["alg"] == "ES256", header
			keys = [k for k in jwks["keys"] if k.get("use") == "jwt-svid" and k.get("kid") == header["kid"]]
			assert len(keys) == 1, "kid %s not among the bundle's jwt-svid keys" % header["kid"]
			key = keys[0]
			assert key["kty"] == "EC" and key["crv"] == "P-256", key
			public = ec.EllipticCurvePublicNumbers(int.from_bytes(b64(key["x"]), "big"),
			                                       int.from_bytes(b64(key["y"]), "big"),
			                                       ec.SECP256R1()).public_key()
			raw = b64(signature_b64)
			assert len(raw) == 64, len(raw)
			der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
			public.verify(der, (header_b64 + "." + claims_b64).encode("ascii"), ec.ECDSA(hashes.SHA256()))
			assert claims["exp"] > time.time(), "expired"
			assert claims["sub"].startswith("spiffe://"), claims
			print(json.dumps(claims))
			""";

}
