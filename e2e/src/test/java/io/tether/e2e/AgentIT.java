package io.tether.e2e;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tether.pki.Pem;
import io.tether.pki.SerialNumbers;
import io.tether.pki.testing.Commands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real server and real agents, with 30 s workload certificates, judged by openssl and
 * nginx.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentIT {

	private Path work;

	private TetherServer server;

	private final List<RunningProcess> processes = new ArrayList<>();

	@BeforeAll
	void startServer() throws IOException {
		this.work = Files.createTempDirectory("tether-e2e");
		this.server = new TetherServer(this.work.resolve("server"), RunningProcess.freePort()).start();
	}

	@AfterAll
	void stopEverything() {
		this.processes.forEach(RunningProcess::close);
		if (this.server != null) {
			this.server.close();
		}
		deleteRecursively(this.work);
	}

	@Test
	void workloadCertificateRotatesTwiceAndEachOneVerifiesWithOpenssl() throws IOException {
		Path out = this.work.resolve("rotate");
		this.server.createEntry(id("ns/rotate"), "host-rotate", List.of("localhost"), "PT30S");
		startAgent("host-rotate", this.server, workload(id("ns/rotate"), out, null));
		Set<BigInteger> serials = new LinkedHashSet<>();
		RunningProcess.await("three certificates in a row", Duration.ofSeconds(90), () -> {
			X509Certificate leaf = leafIfPresent(out);
			if (leaf != null && serials.add(leaf.getSerialNumber())) {
				Commands.Result verify = Commands.run(out, "openssl", "verify", "-x509_strict", "-purpose", "sslserver",
						"-CAfile", "bundle.pem", "-untrusted", "cert.pem", "cert.pem");
				assertThat(verify.exitCode()).as(verify.output()).isZero();
			}
			return serials.size() >= 3;
		});
		assertThat(Files.getPosixFilePermissions(out.resolve("key.pem")))
			.isEqualTo(PosixFilePermissions.fromString("rw-------"));
	}

	@Test
	void twoAgentFedWorkloadsCompleteAnMtlsHandshakeBeforeAndAfterRotation() throws IOException {
		Path serverOut = this.work.resolve("mtls-server");
		Path clientOut = this.work.resolve("mtls-client");
		this.server.createEntry(id("ns/api"), "host-mtls", List.of("localhost"), "PT30S");
		this.server.createEntry(id("ns/caller"), "host-mtls", List.of(), "PT30S");
		startAgent("host-mtls", this.server,
				workload(id("ns/api"), serverOut, null) + workload(id("ns/caller"), clientOut, null));
		RunningProcess.await("both certificates", Duration.ofSeconds(30),
				() -> leafIfPresent(serverOut) != null && leafIfPresent(clientOut) != null);
		BigInteger first = handshake(serverOut, clientOut);
		RunningProcess.await("a rotation of the server workload", Duration.ofSeconds(60),
				() -> !first.equals(serialOf(serverOut)));
		assertThat(handshake(serverOut, clientOut)).isNotEqualTo(first);
	}

	@Test
	void nginxServesTheNewCertificateAfterItsReloadHook() throws IOException {
		Path out = this.work.resolve("nginx");
		int port = RunningProcess.freePort();
		Nginx nginx = new Nginx(out, """
				server {
				  listen 127.0.0.1:%1$d ssl;
				  ssl_certificate %2$s/cert.pem;
				  ssl_certificate_key %2$s/key.pem;
				  location / { return 200 "ok\\n"; }
				}""".formatted(port, out));
		this.server.createEntry(id("ns/nginx"), "host-nginx", List.of("localhost"), "PT30S");
		String hook = "    hook:\n      command: [%s]\n      timeout: 10s\n"
			.formatted(String.join(", ", nginx.reloadCommand()));
		startAgent("host-nginx", this.server, workload(id("ns/nginx"), out, hook));
		RunningProcess.await("the first certificate", Duration.ofSeconds(30), () -> leafIfPresent(out) != null);
		try (nginx) {
			nginx.start();
			assertThat(servedSerial(out, port)).isEqualTo(serialOf(out));
			BigInteger first = serialOf(out);
			RunningProcess.await("nginx serving a rotated certificate", Duration.ofSeconds(60), () -> {
				BigInteger onDisk = serialOf(out);
				return !onDisk.equals(first) && onDisk.equals(servedSerial(out, port));
			});
		}
	}

	@Test
	void agentBacksOffWhileTheServerIsDownKeepsItsFilesAndRecovers() throws IOException {
		try (TetherServer own = new TetherServer(this.work.resolve("server-outage"), RunningProcess.freePort())) {
			own.start();
			Path out = this.work.resolve("outage");
			own.createEntry(id("ns/outage"), "host-outage", List.of(), "PT30S");
			RunningProcess agent = startAgent("host-outage", own, workload(id("ns/outage"), out, null));
			RunningProcess.await("the first certificate", Duration.ofSeconds(30), () -> leafIfPresent(out) != null);
			BigInteger kept = serialOf(out);
			own.stop();
			Instant outage = Instant.now();
			// longer than a renewal interval (15 s for a 30 s certificate)
			RunningProcess.await("40 s of outage with failed renewals", Duration.ofSeconds(60),
					() -> Duration.between(outage, Instant.now()).toSeconds() >= 40
							&& agent.count("renewal failed") >= 3);
			long attempts = agent.count("renewal failed");
			// the waits shorten to a quarter of the life left (never under 0.5 s) so that
			// the 30 s certificate is tried about a dozen times in its last 15 s, then
			// every few minutes once expired
			assertThat(attempts).as("exponential backoff, not a tight loop:\n" + agent.log()).isBetween(3L, 20L);
			assertThat(serialOf(out)).as("the current files stay in place").isEqualTo(kept);
			assertThat(Files.exists(out.resolve("key.pem"))).isTrue();
			own.start();
			RunningProcess.await("a renewal once the server is back", Duration.ofSeconds(90),
					() -> !kept.equals(serialOf(out)));
		}
	}

	/**
	 * Agent certificates live 20 s here: both agents are stopped until theirs have
	 * expired. The one still enrolled comes back by itself with its key and its workload
	 * is served again; the evicted one says so and obtains nothing.
	 */
	@Test
	void agentStoppedLongerThanItsCertificateComesBackByItselfAndAnEvictedOneDoesNot() throws IOException {
		try (TetherServer own = new TetherServer(this.work.resolve("server-comeback"), RunningProcess.freePort())
			.with("--tether.agent.ttl=PT20S")) {
			own.start();
			Path out = this.work.resolve("comeback");
			own.createEntry(id("ns/comeback"), "host-back", List.of(), "PT30S");
			RunningProcess back = startAgent("host-back", own, workload(id("ns/comeback"), out, null));
			RunningProcess evicted = startAgent("host-out", own, "");
			RunningProcess.await("the first certificate", Duration.ofSeconds(30), () -> leafIfPresent(out) != null);
			evicted.awaitLog("enrolled agent=host-out", Duration.ofSeconds(30));
			back.close();
			evicted.close();
			own.post("/v1/agents/host-out/evict", Map.of());
			Path identity = this.work.resolve("agent-host-back/identity/agent-cert.pem");
			X509Certificate away = Pem.readCertificate(Files.readString(identity));
			Instant expired = away.getNotAfter().toInstant().plusSeconds(2);
			RunningProcess.await("the agent certificates expired", Duration.ofSeconds(40),
					() -> Instant.now().isAfter(expired));
			long outIssued = own.get("/v1/certificates?spiffeId=" + id("agent/host-out")).get("certificates").size();
			BigInteger workloadBefore = serialOf(out);

			RunningProcess again = startAgent("host-back", own, workload(id("ns/comeback"), out, null),
					"not-a-valid-token");
			again.awaitLog("agent re-attested", Duration.ofSeconds(60));
			X509Certificate returned = Pem.readCertificate(Files.readString(identity));
			assertThat(returned.getPublicKey()).as("the same key").isEqualTo(away.getPublicKey());
			assertThat(returned.getNotAfter().toInstant()).isAfter(Instant.now());
			assertThat(own.get("/v1/agents/host-back").get("certificateSerial").asString())
				.isEqualTo(SerialNumbers.toHex(returned.getSerialNumber()));
			RunningProcess.await("the workload served again", Duration.ofSeconds(60),
					() -> !workloadBefore.equals(serialOf(out)));
			assertThat(again.count("enrolled agent=")).as("one enrollment in all (both runs log to one file)")
				.isEqualTo(1);

			RunningProcess out2 = startAgent("host-out", own, "", "not-a-valid-token");
			out2.awaitLog("agent-evicted", Duration.ofSeconds(60));
			Path status = this.work.resolve("agent-host-out/status.json");
			RunningProcess.await("the status says evicted", Duration.ofSeconds(30),
					() -> read(status).contains("evicted: waiting for a new join token"));
			assertThat(own.get("/v1/certificates?spiffeId=" + id("agent/host-out")).get("certificates").size())
				.isEqualTo(outIssued);
		}
	}

	private static String read(Path file) {
		try {
			return Files.exists(file) ? Files.readString(file) : "";
		}
		catch (IOException ex) {
			return "";
		}
	}

	/**
	 * The agent runs as root here (as in CI), for which no file mode is read-only: a
	 * directory where {@code cert.pem} belongs is what makes the output unwritable.
	 */
	@Test
	void unwritableOutputsAreDeliveredOnceWritableAndNeverRecordedAhead() throws IOException {
		Path out = this.work.resolve("locked");
		String spiffeId = id("ns/locked");
		this.server.createEntry(spiffeId, "host-locked", List.of(), "PT30S");
		String workloads = workload(spiffeId, out, null);
		RunningProcess first = startAgent("host-locked", this.server, workloads);
		RunningProcess.await("the first certificate", Duration.ofSeconds(30), () -> leafIfPresent(out) != null);
		Path certificate = out.resolve("cert.pem");
		Files.delete(certificate);
		Files.createDirectories(certificate.resolve("in-the-way"));

		RunningProcess.await("three failed deliveries", Duration.ofSeconds(60),
				() -> first.count("renewal failed item=" + spiffeId) >= 3);
		assertThat(issuedFor(spiffeId)).as("one renewal obtained and retried, not one per attempt:\n" + first.log())
			.isEqualTo(2);
		first.close();
		long failedBefore = first.count("renewal failed item=" + spiffeId);

		// restarted while the output is still unwritable, then it becomes writable
		RunningProcess second = startAgent("host-locked", this.server, workloads, "not-a-valid-token");
		RunningProcess.await("a failed delivery after the restart", Duration.ofSeconds(30),
				() -> second.count("renewal failed item=" + spiffeId) > failedBefore);
		deleteRecursively(certificate);
		Instant writable = Instant.now();
		RunningProcess.await("a current certificate in place", Duration.ofSeconds(30), () -> {
			X509Certificate leaf = leafIfPresent(out);
			return leaf != null && leaf.getNotAfter().toInstant().isAfter(Instant.now());
		});
		assertThat(Duration.between(writable, Instant.now())).as("within the backoff, not at the next renewal")
			.isLessThan(Duration.ofSeconds(20));
		Commands.Result verify = Commands.run(out, "openssl", "verify", "-x509_strict", "-CAfile", "bundle.pem",
				"-untrusted", "cert.pem", "cert.pem");
		assertThat(verify.exitCode()).as(verify.output()).isZero();
		Commands.Result keyMatches = Commands.run(out, "sh", "-c",
				"[ \"$(openssl x509 -in cert.pem -noout -pubkey)\" = \"$(openssl pkey -in key.pem -pubout)\" ]");
		assertThat(keyMatches.exitCode()).as("key.pem matches cert.pem").isZero();
	}

	@Test
	void restartedAgentKeepsItsIdentityWithoutReenrolling() throws IOException {
		Path out = this.work.resolve("restart");
		this.server.createEntry(id("ns/restart"), "host-restart", List.of(), "PT1H");
		RunningProcess first = startAgent("host-restart", this.server, workload(id("ns/restart"), out, null));
		RunningProcess.await("the certificate", Duration.ofSeconds(30), () -> leafIfPresent(out) != null);
		JsonNode enrolled = this.server.get("/v1/agents/host-restart");
		Path identity = this.work.resolve("agent-host-restart/identity/agent-cert.pem");
		String agentCertificate = Files.readString(identity);
		first.close();

		RunningProcess second = startAgent("host-restart", this.server, workload(id("ns/restart"), out, null),
				"not-a-valid-token");
		second.awaitLog("no re-enrollment", Duration.ofSeconds(30));
		// both runs log to one file: one enrollment in all
		assertThat(second.count("enrolled agent=")).isEqualTo(1);
		assertThat(Files.readString(identity)).isEqualTo(agentCertificate);
		JsonNode after = this.server.get("/v1/agents/host-restart");
		assertThat(after.get("enrolledAt").asString()).isEqualTo(enrolled.get("enrolledAt").asString());
		assertThat(after.get("certificateSerial").asString()).isEqualTo(enrolled.get("certificateSerial").asString());
	}

	@Test
	void replayedJoinTokenStopsTheSecondAgentWithAClearErrorAndIssuesNothing() throws IOException {
		String token = this.server.createToken("host-replay");
		RunningProcess first = startAgent("host-replay", this.server, "", token);
		first.awaitLog("enrolled agent=host-replay", Duration.ofSeconds(30));
		long issued = issuedFor("spiffe://" + TetherServer.TRUST_DOMAIN + "/agent/host-replay");

		RunningProcess replay = startAgent("host-replay-copy", "host-replay", this.server, "", token);
		assertThat(replay.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
		assertThat(replay.log()).contains("enrollment refused").contains("already used");
		assertThat(issuedFor("spiffe://" + TetherServer.TRUST_DOMAIN + "/agent/host-replay")).isEqualTo(issued);
	}

	@Test
	void tokenMadeForAnotherAgentNameStopsTheAgent() throws IOException {
		String token = this.server.createToken("host-p");
		RunningProcess agent = startAgent("host-q", this.server, "", token);
		assertThat(agent.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
		assertThat(agent.log()).contains("enrollment refused").contains("san-not-allowed");
		assertThat(issuedFor("spiffe://" + TetherServer.TRUST_DOMAIN + "/agent/host-q")).isZero();
	}

	@Test
	void tokenPinningAnotherRootRefusesTheServerAndEnrollsNothing() throws IOException {
		String[] parts = this.server.createToken("host-pin").split("\\.");
		assertThat(parts).hasSize(4);
		String otherRoot = "ab".repeat(32);
		assertThat(parts[3]).isNotEqualTo(otherRoot);
		String token = String.join(".", parts[0], parts[1], parts[2], otherRoot);

		RunningProcess agent = startAgent("host-pin", this.server, "", token);

		assertThat(agent.awaitExit(Duration.ofSeconds(30))).as(agent.log()).isEqualTo(1);
		assertThat(agent.log()).contains("enrollment refused")
			.contains("is not the CA the join token pins")
			.doesNotContain("enrolled agent=");
		assertThat(issuedFor("spiffe://" + TetherServer.TRUST_DOMAIN + "/agent/host-pin")).isZero();
	}

	@Test
	void agentAskingForAnotherAgentsEntryGetsNothingAndBacksOff() throws IOException {
		Path out = this.work.resolve("foreign-entry");
		this.server.createEntry(id("ns/owned-by-f"), "host-f", List.of(), "PT1H");
		RunningProcess agent = startAgent("host-e", this.server, workload(id("ns/owned-by-f"), out, null));
		RunningProcess.await("three refused attempts", Duration.ofSeconds(30),
				() -> agent.count("renewal failed") >= 3);
		assertThat(agent.log()).contains("no registration entry for " + id("ns/owned-by-f"));
		assertThat(Files.exists(out.resolve("cert.pem"))).isFalse();
		assertThat(issuedFor(id("ns/owned-by-f"))).isZero();
	}

	private long issuedFor(String spiffeId) {
		return this.server.get("/v1/certificates?spiffeId=" + spiffeId).get("certificates").size();
	}

	private BigInteger handshake(Path serverOut, Path clientOut) throws IOException {
		split(serverOut);
		split(clientOut);
		int port = RunningProcess.freePort();
		RunningProcess sServer = RunningProcess.start(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port,
				"-cert", serverOut.resolve("leaf.pem").toString(), "-cert_chain",
				serverOut.resolve("chain-rest.pem").toString(), "-key", serverOut.resolve("key.pem").toString(),
				"-CAfile", serverOut.resolve("bundle.pem").toString(), "-Verify", "2", "-verify_return_error",
				"-naccept", "1", "-www"), serverOut.resolve("s_server-" + port + ".log"));
		try {
			sServer.awaitLog("ACCEPT", Duration.ofSeconds(10));
			// -www: s_server answers one HTTP request once the client certificate
			// verified
			Commands.Result client = Commands.run(clientOut, "sh", "-c",
					"printf 'GET / HTTP/1.0\\r\\n\\r\\n' | " + "openssl s_client -connect 127.0.0.1:" + port
							+ " -servername localhost -verify_hostname localhost"
							+ " -cert leaf.pem -cert_chain chain-rest.pem -key key.pem -CAfile bundle.pem"
							+ " -verify_return_error -brief -ign_eof");
			assertThat(client.exitCode()).as(client.output()).isZero();
			assertThat(client.output()).contains("Verification: OK").contains("HTTP/1.0 200 ok");
			assertThat(sServer.log()).as("s_server verified the client chain")
				.contains("verify return:1")
				.doesNotContain("verify error");
			return serialOf(serverOut);
		}
		finally {
			sServer.close();
		}
	}

	private static void split(Path out) throws IOException {
		List<X509Certificate> chain = Pem.readCertificates(Files.readString(out.resolve("cert.pem")));
		Files.writeString(out.resolve("leaf.pem"), Pem.write(chain.get(0)));
		Files.writeString(out.resolve("chain-rest.pem"), Pem.write(chain.subList(1, chain.size())));
	}

	private static BigInteger servedSerial(Path dir, int port) {
		Commands.Result result = Commands.run(dir, "sh", "-c", "openssl s_client -connect 127.0.0.1:" + port
				+ " -servername localhost </dev/null 2>/dev/null | openssl x509 -noout -serial");
		if (result.exitCode() != 0 || !result.output().startsWith("serial=")) {
			return BigInteger.ZERO;
		}
		return new BigInteger(result.output().strip().substring("serial=".length()), 16);
	}

	private static BigInteger serialOf(Path out) {
		X509Certificate leaf = leafIfPresent(out);
		return (leaf != null) ? leaf.getSerialNumber() : BigInteger.ZERO;
	}

	private static X509Certificate leafIfPresent(Path out) {
		try {
			Path file = out.resolve("cert.pem");
			return Files.exists(file) ? Pem.readCertificate(Files.readString(file)) : null;
		}
		catch (IOException | RuntimeException ex) {
			throw new AssertionError("cert.pem unreadable: a reader saw a half-written file", ex);
		}
	}

	private RunningProcess startAgent(String name, TetherServer target, String workloads) throws IOException {
		return startAgent(name, target, workloads, target.createToken(name));
	}

	private RunningProcess startAgent(String name, TetherServer target, String workloads, String token)
			throws IOException {
		return startAgent(name, name, target, workloads, token);
	}

	/**
	 * @param instance names the agent's data directory, config and log
	 * @param name the agent name it asks for
	 */
	private RunningProcess startAgent(String instance, String name, TetherServer target, String workloads, String token)
			throws IOException {
		Path dataDir = this.work.resolve("agent-" + instance);
		Path config = this.work.resolve("agent-" + instance + ".yaml");
		Files.writeString(config, """
				servers: [%s]
				name: %s
				trustDomain: %s
				joinToken: %s
				dataDir: %s
				workloads:%s
				%s""".formatted(target.url(), name, TetherServer.TRUST_DOMAIN, token, dataDir,
				workloads.isEmpty() ? " []" : "", workloads));
		RunningProcess agent = RunningProcess.start(AgentProcess.command(config),
				this.work.resolve("agent-" + instance + ".log"));
		this.processes.add(agent);
		return agent;
	}

	private static String workload(String spiffeId, Path out, String hook) {
		return """
				  - spiffeId: %s
				    outputs:
				      certificate: %s/cert.pem
				      key: %s/key.pem
				      bundle: %s/bundle.pem
				%s""".formatted(spiffeId, out, out, out, (hook != null) ? hook : "");
	}

	private static void deleteRecursively(Path root) {
		try (var paths = Files.walk(root)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a leftover temporary directory is not a test failure
		}
	}

	private static String id(String path) {
		return "spiffe://" + TetherServer.TRUST_DOMAIN + "/" + path;
	}

}
