package io.tether.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.SpiffeId;
import io.tether.pki.Thumbprints;
import io.tether.pki.testing.Commands;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code tether} command against a real running server, as a process: output for
 * people, JSON parsed back, and the exit code of each failure class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIT {

	private static final String TD = TetherServer.TRUST_DOMAIN;

	private Path work;

	private TetherServer server;

	private TetherCommand tether;

	@BeforeAll
	void startServer() throws IOException {
		this.work = Files.createTempDirectory("tether-cli-e2e");
		this.server = new TetherServer(this.work.resolve("server"), RunningProcess.freePort()).start();
		this.tether = new TetherCommand(this.work,
				Map.of("TETHER_CONFIG", this.server.adminDir().resolve("config.yaml").toString()));
	}

	@AfterAll
	void stopServer() {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void statusSaysReachableAndItsJsonCountsParseBack() {
		TetherCommand.Result table = ok("status");
		assertThat(table.out()).contains(this.server.url() + " (reachable", "trust domain    " + TD, "root",
				"intermediate", "agents", "soonest expiry");
		JsonNode json = json(ok("status", "-o", "json"));
		assertThat(json.get("server").asString()).isEqualTo(this.server.url());
		assertThat(json.get("trustDomain").asString()).isEqualTo(TD);
		assertThat(json.get("counts").get("validCertificates").asLong()).isPositive();
	}

	@Test
	void caAndBundleShowAgreeWithTheServersFiles() throws Exception {
		List<X509Certificate> bundle = Pem.readCertificates(Files.readString(this.server.bundleFile()));
		assertThat(Pem.readCertificates(ok("bundle", "show").out())).isEqualTo(bundle);
		assertThat(ok("bundle", "show", "-o", "table").out()).contains(Thumbprints.sha256Hex(bundle.get(0)));
		JsonNode ca = json(ok("ca", "show", "-o", "json"));
		assertThat(ca.get("authorities").get(0).get("sha256").asString())
			.isEqualTo(Thumbprints.sha256Hex(bundle.get(0)));
		List<X509Certificate> hierarchy = Pem.readCertificates(ok("ca", "show", "-o", "pem").out());
		assertThat(hierarchy).hasSize(2).first().isEqualTo(bundle.get(0));
		assertThat(ok("ca", "show").out()).contains("root", "intermediate", "ec-p256");

		JsonNode spiffe = json(ok("bundle", "show", "-o", "spiffe"));
		assertThat(spiffe.get("keys")).as("the roots, then the JWT authority's key").hasSize(bundle.size() + 1);
		assertThat(spiffe.get("keys").get(bundle.size()).get("use").asString()).isEqualTo("jwt-svid");
		for (int i = 0; i < bundle.size(); i++) {
			JsonNode key = spiffe.get("keys").get(i);
			assertThat(key.get("use").asString()).isEqualTo("x509-svid");
			assertThat(key.get("x5c")).hasSize(1);
			assertThat(Base64.getDecoder().decode(key.get("x5c").get(0).asString()))
				.isEqualTo(bundle.get(i).getEncoded());
		}
		assertThat(spiffe.get("spiffe_sequence").asLong()).isPositive();
		assertThat(spiffe.get("spiffe_refresh_hint").asLong()).isPositive();
	}

	@Test
	void caRotateMovesRotationsForwardSaysWhatItDidAndRefusesWhatCannotBeDone() throws IOException {
		// a server of its own: the others' tests expect one root and one intermediate
		try (TetherServer rotating = new TetherServer(this.work.resolve("rotating"), RunningProcess.freePort())
			.start()) {
			TetherCommand tether = new TetherCommand(this.work,
					Map.of("TETHER_CONFIG", rotating.adminDir().resolve("config.yaml").toString()));
			TetherCommand.Result shown = tether.run("ca", "show");
			assertThat(shown.out()).contains("NEXT", "prepares its successor in 121d");

			TetherCommand.Result root = tether.run("ca", "rotate", "root");
			assertThat(root.exitCode()).as(root.toString()).isZero();
			assertThat(root.out()).contains("an operator asked for a root rotation", "prepared",
					"active with the next intermediate");
			TetherCommand.Result again = tether.run("ca", "rotate", "root");
			assertThat(again.exitCode()).as(again.toString()).isNotZero();
			assertThat(again.err()).contains("already prepared");

			assertThat(tether.run("ca", "rotate", "intermediate").out())
				.containsPattern("intermediate\\s+2\\s+prepared");
			TetherCommand.Result activated = tether.run("ca", "rotate", "intermediate", "-o", "json");
			JsonNode intermediates = json(activated).get("ca").get("authorities");
			assertThat(intermediates.get(2).get("status").asString()).isEqualTo("retiring");
			assertThat(intermediates.get(3).get("status").asString()).isEqualTo("active");

			TetherCommand.Result emergency = tether.run("ca", "rotate", "intermediate", "--emergency");
			assertThat(emergency.out()).contains("revoked intermediate generation 2");
			TetherCommand.Result bad = tether.run("ca", "rotate", "leaf");
			assertThat(bad.exitCode()).isNotZero();
			assertThat(bad.err()).contains("'kind' must be intermediate or root");
			assertThat(tether.run("status").exitCode()).as("the CLI still trusts the server").isZero();
		}
	}

	@Test
	void adminRenewReplacesTheCertificateKeepsTheKeyAndTheCliKeepsWorking() throws IOException {
		Path certificate = this.server.adminDir().resolve("admin-cert.pem");
		Path key = this.server.adminDir().resolve("admin-key.pem");
		X509Certificate before = Pem.readCertificate(Files.readString(certificate));
		String keyBefore = Files.readString(key);
		TetherCommand.Result renewed = ok("admin", "renew");
		X509Certificate after = Pem.readCertificate(Files.readString(certificate));
		assertThat(renewed.out()).contains("renewed " + certificate, after.getSerialNumber().toString(16));
		assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
		assertThat(after.getPublicKey()).isEqualTo(before.getPublicKey());
		assertThat(Files.readString(key)).as("the key stays").isEqualTo(keyBefore);
		assertThat(Files.getPosixFilePermissions(certificate)).doesNotContain(PosixFilePermission.OTHERS_WRITE);
		ok("status");
	}

	@Test
	void tokenCreatePrintsOnlyTheTokenForScripts() {
		TetherCommand.Result token = ok("token", "create", "--agent", "host-token", "--ttl", "5m");
		assertThat(token.out()).matches("tj1\\.[^.\\s]+\\.[^.\\s]+\\.[0-9a-f]{64}\\R");
		JsonNode json = json(ok("token", "create", "--agent", "host-token", "-o", "json"));
		assertThat(json.get("agent").asString()).isEqualTo("host-token");
		assertThat(json.get("token").asString()).startsWith("tj1.");
	}

	@Test
	void entriesAreCreatedListedAndDeleted() {
		String spiffeId = "spiffe://" + TD + "/ns/cli-entry";
		JsonNode created = json(ok("entry", "create", spiffeId, "--agent", "host-entry", "--dns", "cli.internal",
				"--ttl", "10m", "-o", "json"));
		String id = created.get("id").asString();
		assertThat(created.get("dnsNames").get(0).asString()).isEqualTo("cli.internal");
		assertThat(created.get("ttl").asString()).isEqualTo("PT10M");
		JsonNode listed = json(ok("entry", "list", "--agent", "host-entry", "-o", "json"));
		assertThat(listed.get("entries")).extracting((entry) -> entry.get("id").asString()).containsExactly(id);
		assertThat(ok("entry", "list").out()).contains(id, spiffeId, "cli.internal");
		assertThat(ok("entry", "delete", id).out())
			.isEqualToIgnoringNewLines("deleted entry " + id + " (" + spiffeId + ", agent host-entry)");

		TetherCommand.Result again = this.tether.run("entry", "delete", id);
		assertThat(again.exitCode()).as(again.toString()).isEqualTo(3);
		assertThat(again.err()).isEqualToIgnoringNewLines(
				"tether: No registration entry with id " + id + "; 'tether entry list' shows what exists");
		assertThat(json(ok("entry", "list", "--agent", "host-entry", "-o", "json")).get("entries")).isEmpty();
	}

	@Test
	void entryCreateSetsSubjectAndAudiencesAndShowsTheDefaultSubject() {
		String spiffeId = "spiffe://" + TD + "/ns/cli-orders";
		JsonNode created = json(ok("entry", "create", spiffeId, "--agent", "host-subject", "--subject",
				"CN=orders,OU=payments,O=Example Corp", "--audience", "orders", "--audience",
				"https://kc.example/realms/x", "-o", "json"));
		assertThat(created.get("subject").asString()).isEqualTo("CN=orders,OU=payments,O=Example Corp");
		assertThat(created.get("audiences")).extracting(JsonNode::asString)
			.containsExactly("orders", "https://kc.example/realms/x");
		TetherCommand.Result plain = ok("entry", "create", "spiffe://" + TD + "/ns/cli-plain", "--agent",
				"host-subject");
		assertThat(plain.out()).contains("CN=ns/cli-plain,O=" + TD);
		assertThat(ok("entry", "list", "--agent", "host-subject").out()).contains("SUBJECT",
				"CN=orders,OU=payments,O=Example Corp", "CN=ns/cli-plain,O=" + TD);
		assertExit(2, "'subject' has an empty CN", "entry", "create", "spiffe://" + TD + "/ns/cli-bad", "--agent",
				"host-subject", "--subject", "CN=,O=x");
		assertThat(json(ok("entry", "list", "--agent", "host-subject", "-o", "json")).get("entries")).hasSize(2);
	}

	@Test
	void entryDeleteWithRevokeRevokesWhatItsAgentObtainedAndWithoutSaysWhatStaysValid() {
		String token = ok("token", "create", "--agent", "host-gone").out().strip();
		KeyPair agentKeys = KeyType.EC_P256.generate();
		List<X509Certificate> agent = Pem.readCertificates(
				this.server
					.enroll(token,
							Csr.create(agentKeys, SpiffeId.parse("spiffe://" + TD + "/agent/host-gone"), List.of())
								.toPem())
					.get("certificateChain")
					.asString());
		String spiffeId = "spiffe://" + TD + "/ns/gone";

		String kept = this.server.createEntry(spiffeId, "host-gone", List.of(), "PT10M");
		String keptSerial = issueForEntry(agentKeys, agent, kept, spiffeId);
		TetherCommand.Result left = ok("entry", "delete", kept);
		assertThat(left.out()).contains("deleted entry " + kept + " (" + spiffeId + ", agent host-gone)",
				"1 certificate issued for " + spiffeId + " to agent host-gone stays valid until",
				"tether cert list --spiffe-id " + spiffeId + " --agent host-gone --status valid",
				"tether cert revoke SERIAL");
		assertThat(json(ok("cert", "show", keptSerial, "-o", "json")).get("status").asString()).isEqualTo("valid");

		String revoked = this.server.createEntry(spiffeId, "host-gone", List.of(), "PT10M");
		String revokedSerial = issueForEntry(agentKeys, agent, revoked, spiffeId);
		TetherCommand.Result gone = ok("entry", "delete", revoked, "--revoke");
		assertThat(gone.out()).contains("deleted entry " + revoked, "revoked 2 certificates issued for it")
			.doesNotContain("valid until");
		for (String serial : List.of(keptSerial, revokedSerial)) {
			assertThat(json(ok("cert", "show", serial, "-o", "json")).get("revocationReason").asString())
				.as("the agent obtained both for the SPIFFE ID of the entry deleted")
				.isEqualTo("cessationOfOperation");
		}

		String scripted = this.server.createEntry(spiffeId, "host-gone", List.of(), "PT10M");
		issueForEntry(agentKeys, agent, scripted, spiffeId);
		JsonNode deletion = json(ok("entry", "delete", scripted, "-o", "json"));
		assertThat(deletion.get("id").asString()).isEqualTo(scripted);
		assertThat(deletion.get("revoked").asInt()).isZero();
		assertThat(deletion.get("liveCertificates").asLong()).isEqualTo(1);
		assertThat(deletion.get("liveUntil").asString()).isNotBlank();
	}

	private String issueForEntry(KeyPair agentKeys, List<X509Certificate> agent, String entry, String spiffeId) {
		String csr = Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse(spiffeId), List.of()).toPem();
		return this.server.issueForEntry(agentKeys.getPrivate(), agent, entry, csr).get("serialNumber").asString();
	}

	@Test
	void certIssueListShowAndThumbprintAgree() throws IOException {
		String spiffeId = "spiffe://" + TD + "/ns/cli-cert";
		Path dir = Files.createDirectories(this.work.resolve("cert"));
		Commands.Result req = Commands.run(dir, "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
				"ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem", "-subj", "/CN=cli", "-addext",
				"subjectAltName=URI:" + spiffeId, "-out", "req.csr");
		assertThat(req.exitCode()).as(req.output()).isZero();

		TetherCommand.Result issued = ok("cert", "issue", "--spiffe-id", spiffeId, "--csr",
				dir.resolve("req.csr").toString(), "--ttl", "5m");
		Files.writeString(dir.resolve("chain.pem"), issued.out());
		Commands.Result verify = Commands.run(dir, "openssl", "verify", "-CAfile", this.server.bundleFile().toString(),
				"-untrusted", "chain.pem", "chain.pem");
		assertThat(verify.exitCode()).as(verify.output()).isZero();
		X509Certificate leaf = Pem.readCertificates(issued.out()).get(0);
		String serial = leaf.getSerialNumber().toString(16);

		JsonNode listed = json(ok("cert", "list", "--spiffe-id", spiffeId, "-o", "json"));
		assertThat(listed.get("certificates")).hasSize(1);
		JsonNode record = listed.get("certificates").get(0);
		assertThat(record.get("serialNumber").asString()).isEqualToIgnoringCase(serial);
		assertThat(record.get("x5tS256").asString()).isEqualTo(Thumbprints.x5tS256(leaf))
			.isEqualTo(ok("thumbprint", dir.resolve("chain.pem").toString()).out().strip());
		assertThat(json(ok("cert", "list", "--expiring-within", "10m", "--status", "valid", "-o", "json"))
			.get("certificates")).extracting((certificate) -> certificate.get("spiffeId").asString())
			.contains(spiffeId);
		assertThat(json(ok("cert", "list", "--agent", "nobody", "-o", "json")).get("certificates")).isEmpty();
		String shown = record.get("serialNumber").asString();
		assertThat(Pem.readCertificates(ok("cert", "show", shown, "-o", "pem").out())).containsExactly(leaf);
		assertThat(ok("cert", "show", shown).out()).contains(spiffeId, "valid", Thumbprints.x5tS256(leaf));
		assertThat(ok("cert", "list").out()).contains(shown, spiffeId);
		assertThat(ok("inspect", dir.resolve("chain.pem").toString(), "--bundle", this.server.bundleFile().toString())
			.out()).contains("chain verifies", spiffeId);

		assertExit(3, "No certificate with serial number", "cert", "show", "0abc");

		assertThat(ok("cert", "revoke", shown, "--reason", "keyCompromise").out()).contains("revoked " + shown);
		assertThat(json(ok("cert", "show", shown, "-o", "json")).get("revocationReason").asString())
			.isEqualTo("keyCompromise");
		assertExit(1, "already revoked", "cert", "revoke", shown);
		assertExit(2, "'reason' must be one of", "cert", "revoke", shown, "--reason", "boredom");
	}

	@Test
	void certStatusCrlShowAndInspectRevocationFollowARevocation() throws IOException {
		String spiffeId = "spiffe://" + TD + "/ns/cli-revocation";
		Path dir = Files.createDirectories(this.work.resolve("revocation"));
		Files.writeString(dir.resolve("req.csr"),
				Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse(spiffeId), List.of()).toPem());
		Path chain = dir.resolve("chain.pem");
		Files.writeString(chain,
				ok("cert", "issue", "--spiffe-id", spiffeId, "--csr", dir.resolve("req.csr").toString(), "--ttl", "10m")
					.out());
		X509Certificate leaf = Pem.readCertificates(Files.readString(chain)).get(0);
		Path leafOnly = dir.resolve("leaf.pem");
		Files.writeString(leafOnly, Pem.write(leaf));
		String serial = leaf.getSerialNumber().toString(16);

		assertThat(ok("cert", "status", serial).out()).containsPattern("serial +" + serial)
			.containsPattern("status +good")
			.contains("(answer verified)");
		JsonNode good = json(ok("cert", "status", chain.toString(), "-o", "json"));
		assertThat(good.get("status").asString()).isEqualTo("good");
		assertThat(good.get("serialNumber").asString()).isEqualTo(serial);
		assertThat(good.get("verified").asBoolean()).isTrue();
		assertThat(json(ok("cert", "status", leafOnly.toString(), "-o", "json")).get("status").asString())
			.as("without the intermediate in the file, the issuer comes from the CA")
			.isEqualTo("good");
		assertThat(ok("inspect", "--revocation", chain.toString()).out())
			.contains("certificate 1 of 2", "revocation (OCSP)")
			.containsPattern("status +good");

		assertThat(ok("cert", "revoke", serial, "--reason", "keyCompromise").out()).contains("revoked " + serial);

		TetherCommand.Result revoked = this.tether.run("cert", "status", serial);
		assertThat(revoked.exitCode()).as(revoked.toString()).isEqualTo(6);
		assertThat(revoked.err()).isEmpty();
		assertThat(revoked.out()).containsPattern("status +revoked")
			.containsPattern("reason +keyCompromise")
			.containsPattern("revoked at +20");
		TetherCommand.Result revokedJson = this.tether.run("cert", "status", leafOnly.toString(), "-o", "json");
		assertThat(revokedJson.exitCode()).as(revokedJson.toString()).isEqualTo(6);
		assertThat(json(revokedJson).get("reason").asString()).isEqualTo("keyCompromise");
		TetherCommand.Result inspected = this.tether.run("inspect", "--revocation", chain.toString(), "-o", "json");
		assertThat(inspected.exitCode()).as(inspected.toString()).isEqualTo(6);
		assertThat(json(inspected).get("revocation").get("status").asString()).isEqualTo("revoked");
		assertThat(json(inspected).get("certificates")).hasSize(2);

		// the CRL is republished right after the revocation, asynchronously
		RunningProcess.await("the revoked serial on the CRL", Duration.ofSeconds(15),
				() -> crlEntry(json(ok("crl", "show", "-o", "json")), serial) != null);
		JsonNode entry = crlEntry(json(ok("crl", "show", "-o", "json")), serial);
		assertThat(entry.get("reason").asString()).isEqualTo("keyCompromise");
		assertThat(ok("crl", "show").out()).contains("CRL NUMBER", "root:1")
			.containsPattern("intermediate:1 +" + serial + " +\\S+ +keyCompromise");
		JsonNode ca = json(ok("ca", "show", "-o", "json"));
		String keyId = ca.get("authorities").get(1).get("keyId").asString();
		for (String name : List.of("intermediate:1", keyId, ca.get("authorities").get(1).get("id").asString())) {
			JsonNode one = json(ok("crl", "show", "--authority", name, "-o", "json"));
			assertThat(one.get("crls")).as(name).hasSize(1);
			assertThat(one.get("crls").get(0).get("authority").get("keyId").asString()).isEqualTo(keyId);
			assertThat(crlEntry(one, serial)).as(name).isNotNull();
		}
		Files.writeString(dir.resolve("crl.pem"),
				ok("crl", "show", "--authority", "intermediate:1", "-o", "pem").out());
		Commands.Result text = Commands.run(dir, "openssl", "crl", "-in", "crl.pem", "-noout", "-text");
		assertThat(text.exitCode()).as(text.output()).isZero();
		assertThat(text.output()).containsIgnoringCase(serial).contains("Key Compromise");
	}

	private static JsonNode crlEntry(JsonNode crls, String serial) {
		for (JsonNode crl : crls.get("crls")) {
			for (JsonNode entry : crl.get("entries")) {
				if (entry.get("serialNumber").asString().equals(serial)) {
					return entry;
				}
			}
		}
		return null;
	}

	@Test
	void revocationCommandsRefuseWhatTheyCannotDoAndChangeNothing() throws IOException {
		int revokedBefore = json(ok("cert", "list", "--status", "revoked", "-o", "json")).get("certificates").size();
		assertExit(3, "No authority 'intermediate:99'; 'tether ca show' lists them", "crl", "show", "--authority",
				"intermediate:99");
		assertExit(2, "the kind is root or intermediate", "crl", "show", "--authority", "leaf:1");
		String missing = this.work.resolve("no-such-cert.pem").toString();
		assertExit(2, "Cannot read " + missing, "cert", "status", missing);
		assertExit(2, "Cannot read " + missing, "inspect", "--revocation", missing);
		assertExit(3, "No certificate with serial number", "cert", "status", "0abc");
		assertExit(2, "'-o pem' is not available here", "cert", "status", "0abc", "-o", "pem");

		// the server's responder answers "unknown" for a certificate of another CA, but
		// it cannot speak for that CA: the answer does not verify
		Path foreign = this.work.resolve("foreign-leaf.pem");
		Files.writeString(foreign, Pem.write(TestPki.root().intermediate().leaf("spiffe://" + TD + "/ns/x").chain()));
		assertExit(1, "is not certified by the issuer", "cert", "status", foreign.toString());
		assertThat(json(ok("cert", "list", "--status", "revoked", "-o", "json")).get("certificates"))
			.hasSize(revokedBefore);
	}

	@Test
	void agentListAndShowDescribeAnEnrolledAgent() {
		String token = ok("token", "create", "--agent", "host-cli").out().strip();
		KeyPair keys = KeyType.EC_P256.generate();
		this.server.enroll(token,
				Csr.create(keys, SpiffeId.parse("spiffe://" + TD + "/agent/host-cli"), List.of()).toPem());
		JsonNode agents = json(ok("agent", "list", "-o", "json"));
		assertThat(agents.get("agents")).extracting((agent) -> agent.get("name").asString()).contains("host-cli");
		assertThat(ok("agent", "list").out()).contains("host-cli", "active");
		assertThat(ok("agent", "show", "host-cli").out()).contains("spiffe://" + TD + "/agent/host-cli", "active");
		assertThat(json(ok("agent", "show", "host-cli", "-o", "json")).get("status").asString()).isEqualTo("active");
		assertExit(3, "host-nobody", "agent", "show", "host-nobody");

		JsonNode eviction = json(ok("agent", "evict", "host-cli", "-o", "json"));
		assertThat(eviction.get("agent").get("status").asString()).isEqualTo("evicted");
		assertThat(eviction.get("revokedCertificates").asInt()).isEqualTo(1);
		assertThat(ok("agent", "show", "host-cli").out()).contains("evicted");
		assertExit(1, "already evicted", "agent", "evict", "host-cli");
	}

	@Test
	void auditListShowsWhatWasDone() {
		String created = json(
				ok("entry", "create", "spiffe://" + TD + "/ns/cli-audit", "--agent", "host-audit", "-o", "json"))
			.get("id")
			.asString();
		JsonNode events = json(ok("audit", "list", "--since", "1h", "--action", "entry.created", "-o", "json"));
		assertThat(events.get("events")).extracting((event) -> event.get("subject").asString()).contains(created);
		assertThat(ok("audit", "list", "--since", "1h").out()).contains("entry.created", created);
		// refused by the CLI before anything is sent, with the same syntax the server
		// reads
		assertExit(2, "'--since': 'last-tuesday' is neither an instant", "audit", "list", "--since", "last-tuesday");
	}

	@Test
	void serverDownIsExitFive() throws IOException {
		Path config = this.work.resolve("down.yaml");
		Files.writeString(config,
				Files.readString(this.server.adminDir().resolve("config.yaml"))
					.replace("localhost:" + this.server.port(), "localhost:" + RunningProcess.freePort())
					.replace("bundle: ca-bundle.pem", "bundle: " + this.server.bundleFile())
					.replace("certificate: admin-cert.pem",
							"certificate: " + this.server.adminDir().resolve("admin-cert.pem"))
					.replace("key: admin-key.pem", "key: " + this.server.adminDir().resolve("admin-key.pem")));
		assertExit(5, "Cannot reach the server", "status", "--config", config.toString());
	}

	@Test
	void tetherCertificateThatIsNotAdminIsRefusedWithExitFour() throws IOException {
		Path dir = Files.createDirectories(this.work.resolve("not-admin"));
		KeyPair keys = KeyType.EC_P256.generate();
		Files.writeString(dir.resolve("req.csr"),
				Csr.create(keys, SpiffeId.parse("spiffe://" + TD + "/ns/impostor"), List.of()).toPem());
		Files.writeString(dir.resolve("cert.pem"), ok("cert", "issue", "--spiffe-id", "spiffe://" + TD + "/ns/impostor",
				"--csr", dir.resolve("req.csr").toString())
			.out());
		Files.writeString(dir.resolve("key.pem"), Pem.write(keys.getPrivate()));
		Path config = config(dir, this.server.bundleFile());
		assertExit(4, "not-admin", "entry", "list", "--config", config.toString());
	}

	@Test
	void certificateFromAnotherCaIsRefusedWithExitFour() throws IOException {
		Path dir = Files.createDirectories(this.work.resolve("foreign"));
		TestPki.Issued foreign = TestPki.root()
			.intermediate()
			.leaf(KeyType.EC_P256, Duration.ofDays(90), "spiffe://" + TD + "/tether/admin");
		Files.writeString(dir.resolve("cert.pem"), Pem.write(foreign.chain()));
		Files.writeString(dir.resolve("key.pem"), Pem.write(foreign.keys().getPrivate()));
		// the server names its CA in the handshake, so the client does not even send a
		// foreign certificate
		assertExit(4, "issued by this Tether CA?", "status", "--config",
				config(dir, this.server.bundleFile()).toString());
	}

	@Test
	void serverNotSignedByTheBundleIsAFailureNeverTrusted() throws IOException {
		Path dir = Files.createDirectories(this.work.resolve("wrong-bundle"));
		Files.writeString(dir.resolve("bundle.pem"), Pem.write(TestPki.root().rootCredential().certificate()));
		Files.copy(this.server.adminDir().resolve("admin-cert.pem"), dir.resolve("cert.pem"));
		Files.copy(this.server.adminDir().resolve("admin-key.pem"), dir.resolve("key.pem"));
		assertExit(1, "does not trust", "status", "--config", config(dir, dir.resolve("bundle.pem")).toString());
	}

	@Test
	void policyRefusalIsExitFourAndBadFlagIsExitTwo() {
		assertExit(4, "trust-domain-mismatch", "entry", "create", "spiffe://elsewhere.test/ns/web", "--agent", "h1");
		assertExit(2, "Unknown option: '--bogus'", "cert", "list", "--bogus");
		assertExit(2, "No configuration", new TetherCommand(this.work, Map.of("HOME", this.work.toString())), "status");
	}

	@Test
	void configurationIsFoundInTheHomeDirectory() throws IOException {
		Path home = this.work.resolve("home");
		Path dir = Files.createDirectories(home.resolve(".config/tether"));
		for (String file : List.of("config.yaml", "ca-bundle.pem", "admin-cert.pem", "admin-key.pem")) {
			Files.copy(this.server.adminDir().resolve(file), dir.resolve(file));
		}
		TetherCommand.Result result = new TetherCommand(this.work, Map.of("HOME", home.toString())).run("status");
		assertThat(result.exitCode()).as(result.toString()).isZero();
		assertThat(result.out()).contains("reachable");
	}

	@Test
	void completionScriptLoadsIntoBash() throws IOException {
		Files.writeString(this.work.resolve("completion.bash"), ok("completion").out());
		Commands.Result loaded = Commands.run(this.work, "bash", "-c",
				"source ./completion.bash && complete -p tether");
		assertThat(loaded.exitCode()).as(loaded.output()).isZero();
		assertThat(loaded.output()).contains("tether");
	}

	private Path config(Path dir, Path bundle) throws IOException {
		Path config = dir.resolve("config.yaml");
		Files.writeString(config,
				"server: " + this.server.url() + "\nbundle: " + bundle + "\ncertificate: cert.pem\nkey: key.pem\n");
		return config;
	}

	private TetherCommand.Result ok(String... args) {
		TetherCommand.Result result = this.tether.run(args);
		assertThat(result.exitCode()).as(String.join(" ", args) + "\n" + result).isZero();
		assertThat(result.err()).as(String.join(" ", args)).isEmpty();
		return result;
	}

	private void assertExit(int exitCode, String message, String... args) {
		assertExit(exitCode, message, this.tether, args);
	}

	private static void assertExit(int exitCode, String message, TetherCommand tether, String... args) {
		TetherCommand.Result result = tether.run(args);
		assertThat(result.exitCode()).as(String.join(" ", args) + "\n" + result).isEqualTo(exitCode);
		assertThat(result.err()).as(String.join(" ", args)).startsWith("tether: ").contains(message).hasLineCount(1);
		assertThat(result.out()).isEmpty();
	}

	private static JsonNode json(TetherCommand.Result result) {
		return TetherServer.JSON.readTree(result.out());
	}

}
