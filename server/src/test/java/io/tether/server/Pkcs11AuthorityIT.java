package io.tether.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tether.pki.KeyEncryptionKey;
import io.tether.pki.KeyIdentifiers;
import io.tether.pki.Pem;
import io.tether.pki.testing.Commands;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.JdbcTemplate;

import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * CA keys in a PKCS#11 token ({@code tether.ca.key-store=pkcs11}), against a SoftHSM2
 * token made for this test: the root and intermediate keys are generated in the token,
 * marked sensitive and not extractable, and the database keeps only their labels; leaves
 * chain (by openssl) to a root whose key is in the token; a restart against the same
 * database and token signs with the same CA; rotations make their keys in the token and
 * issuance carries on under them.
 * <p>
 * SoftHSM2 reads {@code SOFTHSM2_CONF} when its module loads, once per JVM: failsafe sets
 * it (server/pom.xml) and this test writes the file before anything loads the module.
 * Skipped only where SoftHSM2 is not installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Pkcs11AuthorityIT {

	private static final String TD = "hsm.example";

	private static final String WEB = "spiffe://" + TD + "/ns/web";

	private static final String PIN = "4711-tether";

	private static final List<Path> LIBRARIES = List.of(Path.of("/usr/lib/softhsm/libsofthsm2.so"),
			Path.of("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
			Path.of("/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"));

	private static Path library;

	private static long slot;

	@TempDir
	Path dir;

	@BeforeAll
	static void softHsmToken() throws IOException {
		library = LIBRARIES.stream().filter(Files::isReadable).findFirst().orElse(null);
		if (library == null) {
			return;
		}
		String conf = System.getenv("SOFTHSM2_CONF");
		assertThat(conf)
			.as("SOFTHSM2_CONF must be in this JVM's environment before SoftHSM2 loads: run this test "
					+ "under failsafe, whose configuration in server/pom.xml sets it")
			.isNotBlank();
		Path tokens = Files
			.createDirectories(Path.of(conf).toAbsolutePath().getParent().resolve("tokens-" + UUID.randomUUID()));
		Files.writeString(Path.of(conf),
				"directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
		Commands.Result init = Commands.run(tokens, "softhsm2-util", "--init-token", "--free", "--label", "tether-it",
				"--pin", PIN, "--so-pin", "so-" + PIN);
		assertThat(init.exitCode()).as(init.output()).isZero();
		Matcher reassigned = Pattern.compile("reassigned to slot (\\d+)").matcher(init.output());
		assertThat(reassigned.find()).as(init.output()).isTrue();
		slot = Long.parseLong(reassigned.group(1));
	}

	@BeforeEach
	void softHsmInstalled() {
		assumeTrue(library != null, "SoftHSM2 is not installed (no libsofthsm2.so in " + LIBRARIES
				+ "): apt-get install softhsm2 to run the PKCS#11 CA key test");
	}

	/**
	 * First, before any test logs in: PKCS#11 logins are per process, so a later wrong
	 * PIN would find the token already open.
	 */
	@Test
	@Order(1)
	void startWithAWrongPinFailsAndNamesThePinSetting() {
		Map<String, Object> properties = pkcs11();
		properties.put("tether.ca.pkcs11.pin", "not-" + PIN);
		assertThatThrownBy(() -> RunningServer.start(this.dir.resolve("wrong-pin"), properties).close())
			.satisfies((ex) -> assertThat(messages(ex)).contains("Cannot log in to the PKCS#11 token")
				.contains("TETHER_CA_PKCS11_PIN"));
	}

	@Test
	@Order(2)
	void issuesWithTokenKeysAcrossARestartAndRotatesIntoTheToken() throws Exception {
		Path data = this.dir.resolve("data");
		Map<String, Object> properties = pkcs11();
		List<X509Certificate> first;
		X509Certificate root;
		try (RunningServer server = RunningServer.start(data, properties)) {
			first = server.issueChain(WEB);
			root = server.bundle(false).get(0);
			server.opensslVerify(this.dir.resolve("verify-first"), first.get(0));
			first.get(1).verify(root.getPublicKey());
			assertKeysOnlyInToken(server, 2);
			awaitCrl(server, root);
			awaitCrl(server, first.get(1));
		}
		try (RunningServer server = RunningServer.start(data, properties)) {
			List<X509Certificate> again = server.issueChain(WEB);
			assertThat(again.get(1)).as("the restarted server signs with the same intermediate")
				.isEqualTo(first.get(1));
			assertThat(server.bundle(false)).containsExactly(root);
			server.opensslVerify(this.dir.resolve("verify-after-restart"), again.get(0));

			// rotations make their keys in the token
			assertThat(rotate(server, "{\"kind\":\"root\"}").statusCode()).isEqualTo(200);
			assertThat(rotate(server, "{\"kind\":\"intermediate\"}").statusCode()).isEqualTo(200);
			assertThat(rotate(server, "{\"kind\":\"intermediate\"}").statusCode()).isEqualTo(200);
			assertThat(statuses(server, "intermediate")).containsExactly("retiring", "active");
			List<X509Certificate> rotated = server.issueChain(WEB);
			assertThat(rotated.get(1)).as("a new intermediate signs").isNotEqualTo(first.get(1));
			assertThat(rotated.get(1).getPublicKey()).isNotEqualTo(first.get(1).getPublicKey());
			server.opensslVerify(this.dir.resolve("verify-after-rotation"), rotated.get(0));
			assertKeysOnlyInToken(server, 4);
			authorities(server).forEach((authority) -> assertThat(authority.get("keyStore").asString())
				.as("tether ca show tells where each key is")
				.isEqualTo("pkcs11"));
		}
	}

	@Test
	@Order(3)
	void rootRotationHandsSigningToANewRootWhoseKeyIsInTheToken() throws Exception {
		Map<String, Object> properties = pkcs11();
		// as CaRotationIT: a root of 36 s, intermediates of 12 s, checks every half
		// second
		properties.put("tether.ca.root-ttl", "PT36S");
		properties.put("tether.ca.intermediate-ttl", "PT12S");
		properties.put("tether.ca.rotation-check-interval", "PT0.5S");
		properties.put("tether.issuance.min-ttl", "PT2S");
		properties.put("tether.issuance.default-ttl", "PT5S");
		properties.put("tether.issuance.max-ttl", "PT5S");
		properties.put("tether.agent.ttl", "PT5S");
		properties.put("tether.server.tls-ttl", "PT5S");
		properties.put("tether.server.tls-check-interval", "PT0.5S");
		properties.put("tether.admin.ttl", "PT5S");
		properties.put("tether.admin.check-interval", "PT0.5S");
		try (RunningServer server = RunningServer.start(this.dir.resolve("compressed"), properties)) {
			X509Certificate firstRoot = server.bundle(false).get(0);
			Instant deadline = Instant.now().plusSeconds(70);
			List<X509Certificate> chain = server.issueChain(WEB);
			while (chain.get(1).getIssuerX500Principal().equals(firstRoot.getSubjectX500Principal())) {
				assertThat(Instant.now()).as("the second root signs within two of the first root's lives")
					.isBefore(deadline);
				Thread.sleep(500);
				chain = server.issueChain(WEB);
			}
			X509Certificate secondRoot = authority(server, "root", 2);
			chain.get(1).verify(secondRoot.getPublicKey());
			chain.get(0).verify(chain.get(1).getPublicKey());
			server.opensslVerify(this.dir.resolve("verify-under-the-second-root"), chain.get(0));
			assertThat(tokenCertificates()).as("the second root's key is in the token, with its certificate")
				.contains(secondRoot);
			assertKeysOnlyInToken(server, -1);
		}
	}

	@Test
	@Order(4)
	void aKekHierarchyOnPostgresMovesIntoTheTokenAtItsNextRotation() throws Exception {
		try (TestDatabases.PostgresSchema schema = TestDatabases.postgres()) {
			Map<String, Object> sealed = new HashMap<>();
			sealed.put("tether.trust-domain", TD);
			sealed.put("spring.datasource.url", schema.jdbcUrl());
			sealed.put("tether.kek", KeyEncryptionKey.generate(new SecureRandom()).toBase64());
			Path data = this.dir.resolve("migrating");
			X509Certificate sealedIntermediate;
			try (RunningServer server = RunningServer.start(data, sealed)) {
				sealedIntermediate = server.issueChain(WEB).get(1);
			}
			Map<String, Object> token = pkcs11();
			token.putAll(sealed);
			try (RunningServer server = RunningServer.start(data, token)) {
				assertThat(server.issueChain(WEB).get(1)).as("the sealed intermediate signs on under key-store=pkcs11")
					.isEqualTo(sealedIntermediate);
				assertThat(rotate(server, "{\"kind\":\"intermediate\"}").statusCode()).isEqualTo(200);
				assertThat(rotate(server, "{\"kind\":\"intermediate\"}").statusCode()).isEqualTo(200);
				List<X509Certificate> rotated = server.issueChain(WEB);
				assertThat(rotated.get(1)).isNotEqualTo(sealedIntermediate);
				server.opensslVerify(this.dir.resolve("verify-after-moving-into-the-token"), rotated.get(0));
				JdbcTemplate jdbc = server.bean(JdbcTemplate.class);
				assertThat(jdbc.queryForList(
						"select kind, generation from authority where key_store = 'kek' and sealed_key is not null "
								+ "and key_label is null order by kind, generation"))
					.as("the authorities made before keep their sealed keys")
					.hasSize(2);
				assertKeysOnlyInToken(server, "where key_store = 'pkcs11'", 1);
				assertThat(authority(server, "intermediate", 2)).isEqualTo(rotated.get(1));
				List<String> stores = new ArrayList<>();
				authorities(server).forEach((authority) -> stores.add(authority.get("kind").asString() + " "
						+ authority.get("generation").asInt() + " " + authority.get("keyStore").asString()));
				assertThat(stores).containsExactly("root 1 kek", "intermediate 1 kek", "intermediate 2 pkcs11");
			}
		}
	}

	private static Map<String, Object> pkcs11() {
		Map<String, Object> properties = new HashMap<>();
		properties.put("tether.trust-domain", TD);
		properties.put("tether.ca.key-store", "pkcs11");
		properties.put("tether.ca.pkcs11.library", library.toString());
		properties.put("tether.ca.pkcs11.slot", Long.toString(slot));
		properties.put("tether.ca.pkcs11.pin", PIN);
		return properties;
	}

	/**
	 * Every authority row names the token and a label, and holds no key; under each label
	 * the token holds a private key it will not let out (sensitive, not extractable) and
	 * the authority's certificate.
	 * @param expected how many authorities, or -1 for any number
	 */
	private static void assertKeysOnlyInToken(RunningServer server, int expected) throws GeneralSecurityException {
		assertKeysOnlyInToken(server, "", expected);
	}

	private static void assertKeysOnlyInToken(RunningServer server, String where, int expected)
			throws GeneralSecurityException {
		List<Map<String, Object>> rows = server.bean(JdbcTemplate.class)
			.queryForList("select id, kind, key_store, sealed_key, key_label, certificate_pem from authority " + where);
		if (expected >= 0) {
			assertThat(rows).hasSize(expected);
		}
		KeyStore token = token();
		for (Map<String, Object> row : rows) {
			String label = "tether-" + row.get("KIND").toString().toLowerCase(Locale.ROOT) + "-" + row.get("ID");
			assertThat(row.get("KEY_STORE")).isEqualTo("pkcs11");
			assertThat(row.get("SEALED_KEY")).as("no key in the database").isNull();
			assertThat(row.get("KEY_LABEL")).isEqualTo(label);
			Key key = token.getKey(label, null);
			assertThat(key).as("key %s is in the token", label).isNotNull();
			assertThat(key.getEncoded()).as("the token does not give out the key's value").isNull();
			assertThat(key.toString()).contains("token object", "sensitive", "unextractable");
			Certificate certificate = token.getCertificate(label);
			assertThat(certificate).isEqualTo(Pem.readCertificate(row.get("CERTIFICATE_PEM").toString()));
		}
	}

	/** The token as another PKCS#11 client sees it. */
	private static KeyStore token() throws GeneralSecurityException {
		Provider provider = Security.getProvider("SunPKCS11")
			.configure("--name = TetherIT\nlibrary = " + library + "\nslot = " + slot + "\n");
		KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
		try {
			keyStore.load(null, PIN.toCharArray());
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
		return keyStore;
	}

	private static List<Certificate> tokenCertificates() throws GeneralSecurityException {
		KeyStore token = token();
		List<Certificate> certificates = new ArrayList<>();
		for (String alias : java.util.Collections.list(token.aliases())) {
			certificates.add(token.getCertificate(alias));
		}
		return certificates;
	}

	/** The authority's CRL, signed in the token, once published. */
	private static X509CRL awaitCrl(RunningServer server, X509Certificate authority) throws Exception {
		String path = "/crl/" + KeyIdentifiers.hex(KeyIdentifiers.subjectKeyIdentifier(authority)) + ".crl";
		Instant deadline = Instant.now().plusSeconds(20);
		while (true) {
			HttpResponse<byte[]> response = server.anonymousClient()
				.send(HttpRequest.newBuilder(server.uri(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() == 200) {
				X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
					.generateCRL(new ByteArrayInputStream(response.body()));
				crl.verify(authority.getPublicKey());
				return crl;
			}
			assertThat(Instant.now()).as("CRL of %s", authority.getSubjectX500Principal()).isBefore(deadline);
			Thread.sleep(100);
		}
	}

	private static String messages(Throwable ex) {
		StringBuilder all = new StringBuilder();
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			all.append(cause.getMessage()).append('\n');
		}
		return all.toString();
	}

	private static HttpResponse<String> rotate(RunningServer server, String body) {
		return server.postJson(server.adminClient(), "/v1/ca/rotate", body);
	}

	private static List<String> statuses(RunningServer server, String kind) {
		List<String> statuses = new ArrayList<>();
		authorities(server).forEach((authority) -> {
			if (authority.get("kind").asString().equals(kind)) {
				statuses.add(authority.get("status").asString());
			}
		});
		return statuses;
	}

	private static JsonNode authorities(RunningServer server) {
		HttpResponse<String> response = server.get(server.adminClient(), "/v1/ca");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body()).get("authorities");
	}

	private static X509Certificate authority(RunningServer server, String kind, int generation) {
		for (JsonNode authority : authorities(server)) {
			if (authority.get("kind").asString().equals(kind) && authority.get("generation").asInt() == generation) {
				return Pem.readCertificate(authority.get("certificatePem").asString());
			}
		}
		throw new AssertionError("no " + kind + " generation " + generation);
	}

}
