package io.tether.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.tether.pki.Csr;
import io.tether.pki.KeyEncryptionKey;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.SpiffeId;
import io.tether.pki.Thumbprints;
import io.tether.pki.testing.Commands;
import io.tether.pki.testing.MalformedCsrs;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The CA server end to end over real mTLS, against one database. Subclasses pick the
 * database: H2 (the embedded default) and PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerScenarios {

	static final String TRUST_DOMAIN = "it.example";

	static final JsonMapper json = JsonMapper.builder().build();

	private Path workDir;

	private Database database;

	private RunningServer server;

	/**
	 * A database for one server's lifetime (or two, across a restart).
	 */
	interface Database extends AutoCloseable {

		Map<String, Object> properties();

		@Override
		void close();

		/** The embedded default: H2 under the server's data directory. */
		static Database embedded() {
			return new Database() {

				@Override
				public Map<String, Object> properties() {
					return Map.of();
				}

				@Override
				public void close() {
				}

			};
		}

		/**
		 * PostgreSQL in a schema of its own, with the KEK supplied as production must.
		 */
		static Database postgres() {
			TestDatabases.PostgresSchema schema = TestDatabases.postgres();
			String kek = KeyEncryptionKey.generate(new SecureRandom()).toBase64();
			return new Database() {

				@Override
				public Map<String, Object> properties() {
					return Map.of("spring.datasource.url", schema.jdbcUrl(), "tether.kek", kek);
				}

				@Override
				public void close() {
					schema.close();
				}

			};
		}

	}

	abstract Database newDatabase();

	@BeforeAll
	void startServer() throws IOException {
		this.workDir = Files.createTempDirectory("tether-it");
		this.database = newDatabase();
		this.server = start(Files.createDirectories(this.workDir.resolve("shared-server")), this.database);
	}

	@AfterAll
	void stopServer() {
		if (this.server != null) {
			this.server.close();
		}
		if (this.database != null) {
			this.database.close();
		}
		FileSystemUtils.deleteRecursively(this.workDir.toFile());
	}

	static RunningServer start(Path dataDir, Database database) {
		Map<String, Object> properties = new java.util.HashMap<>(database.properties());
		properties.put("tether.trust-domain", TRUST_DOMAIN);
		return RunningServer.start(dataDir, properties);
	}

	@Test
	void bundleIsPublicAndHoldsTheRootOnly() {
		HttpResponse<String> response = this.server.get(this.server.anonymousClient(), "/v1/bundle");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/x-pem-file"));
		List<X509Certificate> bundle = Pem.readCertificates(response.body());
		assertThat(bundle).hasSize(1).isEqualTo(this.server.bundleFile());
		X509Certificate root = bundle.get(0);
		assertThat(root.getSubjectX500Principal()).isEqualTo(root.getIssuerX500Principal());
		assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);
	}

	@Test
	void bundleCarriesATagAndAnUnchangedOneIsAnsweredWithoutABody() {
		HttpResponse<String> first = this.server.get(this.server.anonymousClient(), "/v1/bundle?intermediates=true");
		String etag = first.headers().firstValue("ETag").orElseThrow();

		HttpResponse<String> again = RunningServer.send(this.server.anonymousClient(),
				java.net.http.HttpRequest.newBuilder(this.server.uri("/v1/bundle?intermediates=true"))
					.header("If-None-Match", etag)
					.build());
		HttpResponse<String> other = RunningServer.send(this.server.anonymousClient(),
				java.net.http.HttpRequest.newBuilder(this.server.uri("/v1/bundle"))
					.header("If-None-Match", etag)
					.build());

		assertThat(again.statusCode()).isEqualTo(304);
		assertThat(again.body()).isEmpty();
		assertThat(other.statusCode()).as("the roots alone are another document").isEqualTo(200);
		assertThat(other.headers().firstValue("ETag")).isPresent().isNotEqualTo(java.util.Optional.of(etag));
	}

	@Test
	void issuedCertificatePassesOpensslStrictVerifyAndPythonCryptography() throws Exception {
		KeyPair keys = KeyType.EC_P256.generate();
		String spiffeId = "spiffe://" + TRUST_DOMAIN + "/ns/web/sa/frontend";
		Csr csr = Csr.create(keys, SpiffeId.parse(spiffeId), List.of("web.internal"));
		Instant before = Instant.now();
		HttpResponse<String> response = issue(csr.toPem(), spiffeId, List.of("web.internal"), "PT1H");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		JsonNode body = json.readTree(response.body());
		String serial = body.get("serialNumber").asString();
		assertThat(response.headers().firstValue("Location")).hasValue("/v1/certificates/" + serial);

		List<X509Certificate> chain = Pem.readCertificates(body.get("certificateChain").asString());
		assertThat(chain).hasSize(2);
		X509Certificate leaf = chain.get(0);
		assertThat(leaf.getPublicKey()).isEqualTo(keys.getPublic());
		assertThat(body.get("x5tS256").asString()).isEqualTo(Thumbprints.x5tS256(leaf));
		assertThat(Instant.parse(body.get("notAfter").asString())).isEqualTo(leaf.getNotAfter().toInstant());
		assertThat(leaf.getNotAfter().toInstant()).isBetween(before.plus(Duration.ofHours(1)).minusSeconds(2),
				Instant.now().plus(Duration.ofHours(1)).plusSeconds(1));

		Path dir = Files.createDirectories(this.workDir.resolve("verify-" + serial));
		Files.writeString(dir.resolve("bundle.pem"),
				this.server.get(this.server.anonymousClient(), "/v1/bundle").body());
		Files.writeString(dir.resolve("chain.pem"), body.get("certificateChain").asString());
		Files.writeString(dir.resolve("leaf.pem"), Pem.write(leaf));
		Commands.Result verify = ExternalTools.openssl(dir, "verify", "-x509_strict", "-purpose", "sslclient",
				"-CAfile", "bundle.pem", "-untrusted", "chain.pem", "leaf.pem");
		assertThat(verify.exitCode()).as(verify.output()).isZero();
		assertThat(verify.output()).contains("leaf.pem: OK");
		Commands.Result serverPurpose = ExternalTools.openssl(dir, "verify", "-x509_strict", "-purpose", "sslserver",
				"-CAfile", "bundle.pem", "-untrusted", "chain.pem", "leaf.pem");
		assertThat(serverPurpose.exitCode()).as("DNS names give serverAuth: " + serverPurpose.output()).isZero();

		Files.writeString(dir.resolve("check_cert.py"), PYTHON_INSPECT);
		Commands.Result python = ExternalTools.python(dir, "check_cert.py", "leaf.pem");
		assertThat(python.exitCode()).as(python.output()).isZero();
		assertThat(python.output()).contains("uris=" + spiffeId + "\n")
			.contains("dns=web.internal\n")
			.contains("eku=1.3.6.1.5.5.7.3.1,1.3.6.1.5.5.7.3.2\n")
			.contains("ca=False critical=True\n");
		long lifetime = Long.parseLong(python.output().replaceAll("(?s).*lifetime=(\\d+).*", "$1"));
		// one hour plus the notBefore backdate, which is at most a minute
		assertThat(lifetime).isBetween(3600L, 3660L);
	}

	@Test
	void certificateWithoutDnsNamesIsForClientsOnly() throws Exception {
		String spiffeId = "spiffe://" + TRUST_DOMAIN + "/batch/report";
		HttpResponse<String> response = issue(csrPem(spiffeId), spiffeId, List.of(), "10m");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		X509Certificate leaf = Pem.readCertificates(json.readTree(response.body()).get("certificateChain").asString())
			.get(0);
		assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
		assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(6, spiffeId));
	}

	@Test
	void issuedCertificateIsListedShownAndAudited() {
		String spiffeId = "spiffe://" + TRUST_DOMAIN + "/ns/db/sa/listed";
		HttpResponse<String> response = issue(csrPem(spiffeId), spiffeId, List.of(), "PT30M");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		String serial = json.readTree(response.body()).get("serialNumber").asString();

		JsonNode list = json
			.readTree(this.server.get(this.server.adminClient(), "/v1/certificates?spiffeId=" + spiffeId).body());
		assertThat(list.get("certificates")).hasSize(1);
		JsonNode listed = list.get("certificates").get(0);
		assertThat(listed.get("serialNumber").asString()).isEqualTo(serial);
		assertThat(listed.get("status").asString()).isEqualTo("valid");
		assertThat(listed.get("requestedBy").asString()).isEqualTo("spiffe://" + TRUST_DOMAIN + "/tether/admin");
		assertThat(listed.has("certificatePem")).isFalse();

		HttpResponse<String> shown = this.server.get(this.server.adminClient(), "/v1/certificates/" + serial);
		assertThat(shown.statusCode()).isEqualTo(200);
		JsonNode one = json.readTree(shown.body());
		assertThat(one.get("spiffeId").asString()).isEqualTo(spiffeId);
		assertThat(Pem.readCertificate(one.get("certificatePem").asString()).getSerialNumber().toString(16))
			.isEqualTo(serial);

		assertThat(this.server.bean(JdbcTemplate.class)
			.queryForList("select subject, actor from audit_event where action = 'certificate.issued'"))
			.anySatisfy((event) -> {
				assertThat(event.get("subject")).isEqualTo(serial);
				assertThat(event.get("actor")).isEqualTo("spiffe://" + TRUST_DOMAIN + "/tether/admin");
			});
	}

	@Test
	void unknownSerialIsNotFound() {
		assertProblem(this.server.get(this.server.adminClient(), "/v1/certificates/abc123"), 404, "not-found");
	}

	@Test
	void csrWhoseSignatureDoesNotVerifyIsRefused() {
		String spiffeId = "spiffe://" + TRUST_DOMAIN + "/tampered";
		assertRefusedWithoutIssuing(() -> issue(MalformedCsrs.badSignature(spiffeId), spiffeId, List.of(), "PT1H"), 400,
				"csr-signature-invalid");
	}

	@Test
	void truncatedCsrIsRefused() {
		String spiffeId = "spiffe://" + TRUST_DOMAIN + "/truncated";
		assertRefusedWithoutIssuing(() -> issue(MalformedCsrs.truncated(), spiffeId, List.of(), "PT1H"), 400,
				"invalid-csr");
	}

	@Test
	void csrThatIsNotPemIsRefused() {
		String spiffeId = "spiffe://" + TRUST_DOMAIN + "/not-pem";
		assertRefusedWithoutIssuing(() -> issue(MalformedCsrs.notPem(), spiffeId, List.of(), "PT1H"), 400,
				"invalid-csr");
	}

	@Test
	void spiffeIdOfAnotherTrustDomainIsRefused() {
		String spiffeId = "spiffe://other.example/ns/web";
		assertRefusedWithoutIssuing(() -> issue(csrPem(spiffeId), spiffeId, List.of(), "PT1H"), 403,
				"trust-domain-mismatch");
	}

	@Test
	void malformedSpiffeIdIsRefused() {
		String csr = csrPem(null);
		assertRefusedWithoutIssuing(() -> issue(csr, "spiffe://" + TRUST_DOMAIN + "/a/../b?x=1", List.of(), "PT1H"),
				400, "invalid-spiffe-id");
	}

	@Test
	void ttlAboveTheMaximumIsRefused() {
		String spiffeId = "spiffe://" + TRUST_DOMAIN + "/long-lived";
		assertRefusedWithoutIssuing(() -> issue(csrPem(spiffeId), spiffeId, List.of(), "PT25H"), 403,
				"ttl-out-of-range");
	}

	@Test
	void rsa1024KeyIsRefused() {
		String spiffeId = "spiffe://" + TRUST_DOMAIN + "/weak";
		assertRefusedWithoutIssuing(() -> issue(MalformedCsrs.rsa1024(), spiffeId, List.of(), "PT1H"), 403,
				"key-type-not-allowed");
	}

	@Test
	void bodyWithoutJsonContentTypeIsRefused() {
		String spiffeId = "spiffe://" + TRUST_DOMAIN + "/plain";
		String body = body(csrPem(spiffeId), spiffeId, List.of(), "PT1H");
		assertRefusedWithoutIssuing(() -> RunningServer.send(this.server.adminClient(),
				java.net.http.HttpRequest.newBuilder(this.server.uri("/v1/certificates"))
					.header("Content-Type", "text/plain")
					.POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
					.build()),
				415, "unsupported-media-type");
	}

	@Test
	void unknownPathIsNotFoundAsProblem() {
		assertProblem(this.server.get(this.server.anonymousClient(), "/v1/nothing-here"), 404, "not-found");
	}

	@Test
	void bodyOver64KiBIsRefused() {
		String spiffeId = "spiffe://" + TRUST_DOMAIN + "/huge";
		String padding = "x".repeat(65 * 1024);
		String body = "{\"csr\":\"" + padding + "\",\"spiffeId\":\"" + spiffeId + "\"}";
		assertRefusedWithoutIssuing(() -> this.server.postJson(this.server.adminClient(), "/v1/certificates", body),
				413, "payload-too-large");
	}

	@Test
	void bodyThatIsNotJsonIsRefused() {
		assertRefusedWithoutIssuing(
				() -> this.server.postJson(this.server.adminClient(), "/v1/certificates", "{\"csr\": [unclosed"), 400,
				"bad-request");
	}

	@Test
	void requestWithoutClientCertificateIsRefused() {
		String spiffeId = "spiffe://" + TRUST_DOMAIN + "/anonymous";
		String body = body(csrPem(spiffeId), spiffeId, List.of(), "PT1H");
		assertRefusedWithoutIssuing(() -> this.server.postJson(this.server.anonymousClient(), "/v1/certificates", body),
				401, "client-certificate-required");
		assertProblem(this.server.get(this.server.anonymousClient(), "/v1/certificates"), 401,
				"client-certificate-required");
	}

	@Test
	void clientCertificateThatIsNotTheAdminsIsRefused() {
		KeyPair keys = KeyType.EC_P256.generate();
		String workload = "spiffe://" + TRUST_DOMAIN + "/ns/web/sa/sneaky";
		HttpResponse<String> issued = issue(Csr.create(keys, SpiffeId.parse(workload), List.of()).toPem(), workload,
				List.of(), "PT1H");
		assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
		List<X509Certificate> chain = Pem
			.readCertificates(json.readTree(issued.body()).get("certificateChain").asString());
		HttpClient workloadClient = this.server.clientWith(keys.getPrivate(), chain);

		String spiffeId = "spiffe://" + TRUST_DOMAIN + "/escalation";
		String body = body(csrPem(spiffeId), spiffeId, List.of(), "PT1H");
		assertRefusedWithoutIssuing(() -> this.server.postJson(workloadClient, "/v1/certificates", body), 403,
				"not-admin");
		assertProblem(this.server.get(workloadClient, "/v1/certificates"), 403, "not-admin");
	}

	@Test
	void clientCertificateFromAnotherCaFailsTheHandshake() {
		TestPki.Issued foreign = TestPki.root().intermediate().leaf("spiffe://" + TRUST_DOMAIN + "/tether/admin");
		// a JSSE client offers only certificates from the CAs the server names, so force
		// it
		HttpClient client = this.server.clientAlwaysPresenting(foreign.keys().getPrivate(), foreign.chain());
		String spiffeId = "spiffe://" + TRUST_DOMAIN + "/foreign";
		String body = body(csrPem(spiffeId), spiffeId, List.of(), "PT1H");
		long before = this.server.certificateRows();
		assertThatThrownBy(() -> this.server.postJson(client, "/v1/certificates", body))
			.isInstanceOf(UncheckedIOException.class);
		assertThat(this.server.certificateRows()).isEqualTo(before);
	}

	@Test
	void reservedIdentitiesAreNotIssuedThroughTheApi() {
		String spiffeId = "spiffe://" + TRUST_DOMAIN + "/tether/admin";
		assertRefusedWithoutIssuing(() -> issue(csrPem(spiffeId), spiffeId, List.of(), "PT1H"), 403, "san-not-allowed");
	}

	@Test
	void restartKeepsTheCaTheRecordsAndTheAdminCredentials() throws IOException {
		Path dataDir = Files.createDirectories(this.workDir.resolve("restarted"));
		try (Database restartDatabase = newDatabase()) {
			String bundle;
			String serial;
			String adminCertificate;
			try (RunningServer first = start(dataDir, restartDatabase)) {
				String spiffeId = "spiffe://" + TRUST_DOMAIN + "/survivor";
				HttpResponse<String> response = first.postJson(first.adminClient(), "/v1/certificates",
						body(csrPem(spiffeId), spiffeId, List.of(), "PT1H"));
				assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
				serial = json.readTree(response.body()).get("serialNumber").asString();
				bundle = first.get(first.anonymousClient(), "/v1/bundle").body();
				adminCertificate = RunningServer.read(first.adminDir().resolve("admin-cert.pem"));
			}
			try (RunningServer second = start(dataDir, restartDatabase)) {
				assertThat(second.get(second.anonymousClient(), "/v1/bundle").body()).isEqualTo(bundle);
				assertThat(RunningServer.read(second.adminDir().resolve("admin-cert.pem"))).isEqualTo(adminCertificate);
				HttpResponse<String> shown = second.get(second.adminClient(), "/v1/certificates/" + serial);
				assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
				JsonNode list = json.readTree(second.get(second.adminClient(), "/v1/certificates").body());
				assertThat(list.get("certificates").valueStream().map((c) -> c.get("serialNumber").asString()))
					.contains(serial);
				Long authorities = second.bean(JdbcTemplate.class)
					.queryForObject("select count(*) from authority", Long.class);
				assertThat(authorities).as("one root and one intermediate, no second hierarchy").isEqualTo(2);
			}
		}
	}

	HttpResponse<String> issue(String csr, String spiffeId, List<String> dnsNames, String ttl) {
		return this.server.postJson(this.server.adminClient(), "/v1/certificates", body(csr, spiffeId, dnsNames, ttl));
	}

	static String body(String csr, String spiffeId, List<String> dnsNames, String ttl) {
		return json.writeValueAsString(Map.of("csr", csr, "spiffeId", spiffeId, "dnsNames", dnsNames, "ttl", ttl));
	}

	static String csrPem(String spiffeId) {
		return Csr.create(KeyType.EC_P256.generate(), (spiffeId != null) ? SpiffeId.parse(spiffeId) : null, List.of())
			.toPem();
	}

	private void assertRefusedWithoutIssuing(java.util.function.Supplier<HttpResponse<String>> call, int status,
			String type) {
		long before = this.server.certificateRows();
		assertProblem(call.get(), status, type);
		assertThat(this.server.certificateRows()).as("no certificate row may be added").isEqualTo(before);
	}

	static void assertProblem(HttpResponse<String> response, int status, String type) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((contentType) -> assertThat(contentType).startsWith("application/problem+json"));
		JsonNode problem = json.readTree(response.body());
		assertThat(problem.get("type").asString()).isEqualTo("urn:tether:problem:" + type);
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("detail").asString()).isNotBlank();
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
	}

	static final String PYTHON_INSPECT = """
			import sys, datetime
			from cryptography import x509
			cert = x509.load_pem_x509_certificate(open(sys.argv[1], "rb").read())
			san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
			print("uris=" + ",".join(san.get_values_for_type(x509.UniformResourceIdentifier)))
			print("dns=" + ",".join(san.get_values_for_type(x509.DNSName)))
			eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
			print("eku=" + ",".join(sorted(oid.dotted_string for oid in eku)))
			bc = cert.extensions.get_extension_for_class(x509.BasicConstraints)
			print("ca=%s critical=%s" % (bc.value.ca, bc.critical))
			before = getattr(cert, "not_valid_before_utc", None) or cert.not_valid_before
			after = getattr(cert, "not_valid_after_utc", None) or cert.not_valid_after
			print("lifetime=%d" % int((after - before).total_seconds()))
			""";

}
