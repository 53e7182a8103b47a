package io.tether.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.testing.Commands;
import io.tether.workload.PemFileCredentialSource;
import io.tether.workload.TetherSsl;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A year of Tether in about nine minutes: lifetimes compressed so that the intermediate
 * (4 min) rotates four times and the root (12 min) once while two agents feed two
 * workloads (30 s certificates) that complete an mTLS handshake with each other every
 * half second: the {@code workload/} library serves, {@code openssl s_client} calls with
 * the files its agent writes. The CLI runs {@code tether status} every 20 s. Nothing may
 * fail: no handshake, no CLI call, no certificate served past its {@code notAfter}, no
 * leaf cut short by its issuer. It measures how long a new root takes from its
 * publication to every workload's bundle file.
 */
class YearInTenMinutesIT {

	private static final String TD = TetherServer.TRUST_DOMAIN;

	private static final Duration SYNC = Duration.ofSeconds(5);

	private static final String[] COMPRESSED = { "--tether.ca.root-ttl=PT12M", "--tether.ca.intermediate-ttl=PT4M",
			"--tether.ca.rotation-check-interval=PT5S", "--tether.issuance.min-ttl=PT10S",
			"--tether.issuance.max-ttl=PT100S", "--tether.agent.ttl=PT100S", "--tether.server.tls-ttl=PT100S",
			"--tether.server.tls-check-interval=PT2S", "--tether.admin.ttl=PT100S",
			"--tether.admin.check-interval=PT2S" };

	private final AtomicInteger handshakes = new AtomicInteger();

	private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

	private final Set<X509Certificate> servedLeaves = ConcurrentHashMap.newKeySet();

	@Test
	void twoRotationsOfTheIntermediateAndOneOfTheRootWithNoFailedHandshake() throws Exception {
		Path work = Files.createTempDirectory("tether-year-e2e");
		List<RunningProcess> processes = new ArrayList<>();
		try (TetherServer server = new TetherServer(work.resolve("server"), RunningProcess.freePort())
			.with(COMPRESSED)) {
			server.start();
			Instant start = Instant.now();
			Path serverOut = Files.createDirectories(work.resolve("workload-a"));
			Path clientOut = Files.createDirectories(work.resolve("workload-b"));
			server.createEntry("spiffe://" + TD + "/ns/api", "host-a", List.of("localhost"), "PT30S");
			server.createEntry("spiffe://" + TD + "/ns/caller", "host-b", List.of(), "PT30S");
			processes.add(agent(work, server, "host-a", "spiffe://" + TD + "/ns/api", serverOut));
			processes.add(agent(work, server, "host-b", "spiffe://" + TD + "/ns/caller", clientOut));
			RunningProcess.await("both workloads' files", Duration.ofSeconds(60),
					() -> Files.exists(serverOut.resolve("bundle.pem"))
							&& Files.exists(clientOut.resolve("bundle.pem")));

			TetherCommand tether = new TetherCommand(work,
					Map.of("TETHER_CONFIG", server.adminDir().resolve("config.yaml").toString()));
			try (PemFileCredentialSource source = PemFileCredentialSource.watch(serverOut.resolve("cert.pem"),
					serverOut.resolve("key.pem"), serverOut.resolve("bundle.pem"))) {
				// closed by hand below, to end the acceptor before the counts are read
				SSLServerSocket listener = (SSLServerSocket) TetherSsl.context(source)
					.getServerSocketFactory()
					.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
				listener.setNeedClientAuth(true);
				Thread acceptor = Thread.ofVirtual().start(() -> serve(listener));
				int cliCalls = 0;
				int cliFailures = 0;
				Instant lastCli = Instant.MIN;
				Map<String, Instant> rootSeen = new java.util.HashMap<>();
				Map<String, Instant> rootInFiles = new java.util.HashMap<>();
				Instant deadline = start.plus(Duration.ofMinutes(10));
				while (!rootRetired(server)) {
					Instant round = Instant.now();
					assertThat(Instant.now()).as("the first root retires within ten minutes").isBefore(deadline);
					handshake(work, clientOut, listener.getLocalPort());
					if (Duration.between(lastCli, Instant.now()).compareTo(Duration.ofSeconds(20)) >= 0) {
						lastCli = Instant.now();
						cliCalls++;
						TetherCommand.Result status = tether.run("status");
						if (status.exitCode() != 0) {
							cliFailures++;
							this.failures.add("tether status at " + lastCli + ": " + status);
						}
					}
					trackRoots(server, List.of(serverOut, clientOut), rootSeen, rootInFiles);
					Thread.sleep(Math.max(0, 500 - Duration.between(round, Instant.now()).toMillis()));
				}
				listener.close();
				acceptor.join(5000);
				// a root prepared near the end has its two sync periods to reach the
				// files
				Instant settle = Instant.now().plus(SYNC.multipliedBy(2).plusSeconds(2));
				while (!rootInFiles.keySet().containsAll(rootSeen.keySet()) && Instant.now().isBefore(settle)) {
					Thread.sleep(500);
					trackRoots(server, List.of(serverOut, clientOut), rootSeen, rootInFiles);
				}

				JsonNode authorities = server.get("/v1/ca").get("authorities");
				int intermediates = 0;
				int roots = 0;
				for (JsonNode authority : authorities) {
					if (authority.get("status").asString().equals("prepared")) {
						continue;
					}
					if (authority.get("kind").asString().equals("intermediate")) {
						intermediates++;
					}
					else {
						roots++;
					}
				}
				List<String> publication = new ArrayList<>();
				rootSeen.forEach((root,
						seen) -> publication.add(root.substring(0, 12) + ": "
								+ (rootInFiles.containsKey(root)
										? Duration.between(seen, rootInFiles.get(root)).toMillis()
												+ " ms from /v1/bundle to both workloads' bundle files"
										: "not in both bundle files")));
				System.out.printf(
						"year in ten minutes: %s in %s; %d handshakes, %d failed; %d CLI calls, %d failed; "
								+ "intermediates used %d, roots used %d; distinct served leaves %d; new roots: %s%n",
						Duration.between(start, Instant.now()), work, this.handshakes.get(), this.failures.size(),
						cliCalls, cliFailures, intermediates, roots, this.servedLeaves.size(), publication);
				assertThat(this.failures).as("failed handshakes or CLI calls").isEmpty();
				assertThat(this.handshakes.get()).as("a handshake every half second").isGreaterThan(700);
				assertThat(intermediates).as("at least two intermediate rotations").isGreaterThanOrEqualTo(3);
				assertThat(roots).as("one root rotation").isGreaterThanOrEqualTo(2);
				assertThat(rootInFiles.keySet()).as("every new root reached both bundle files")
					.isEqualTo(rootSeen.keySet())
					.isNotEmpty();
				rootSeen.forEach((root, seen) -> assertThat(Duration.between(seen, rootInFiles.get(root)))
					.as("a new root in every bundle file within two sync periods")
					.isLessThanOrEqualTo(SYNC.multipliedBy(2).plusSeconds(2)));
				for (X509Certificate leaf : this.servedLeaves) {
					assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
						.as("leaf %s not cut short by its issuer", leaf.getSerialNumber().toString(16))
						.isEqualTo(Duration.ofSeconds(60));
				}
			}
		}
		finally {
			processes.forEach(RunningProcess::close);
		}
	}

	/**
	 * The workload-library side: accepts, completes the handshake, checks that neither
	 * side's certificate is past its notAfter, answers.
	 */
	private void serve(SSLServerSocket listener) {
		while (!listener.isClosed()) {
			try (SSLSocket socket = (SSLSocket) listener.accept()) {
				socket.setSoTimeout(5000);
				socket.startHandshake();
				Instant now = Instant.now();
				X509Certificate local = (X509Certificate) socket.getSession().getLocalCertificates()[0];
				X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
				for (X509Certificate certificate : List.of(local, peer)) {
					this.servedLeaves.add(certificate);
					if (!now.isBefore(certificate.getNotAfter().toInstant())) {
						this.failures.add("served past its notAfter: " + certificate.getSubjectX500Principal());
					}
				}
				InputStream in = socket.getInputStream();
				in.read();
				OutputStream out = socket.getOutputStream();
				out.write("ok\n".getBytes(StandardCharsets.US_ASCII));
				out.flush();
			}
			catch (IOException ex) {
				if (!listener.isClosed()) {
					this.failures.add("workload-library side at " + Instant.now() + ": " + ex);
				}
			}
		}
	}

	/**
	 * The openssl side: takes a consistent snapshot of what its agent wrote (a key that
	 * matches the certificate; the agent replaces each file atomically, one after the
	 * other), then calls with {@code s_client}, verifying the server's chain and name.
	 */
	private void handshake(Path work, Path out, int port) throws IOException {
		Path snapshot = Files.createDirectories(work.resolve("snapshot"));
		for (int attempt = 0;; attempt++) {
			String chain = Files.readString(out.resolve("cert.pem"));
			String key = Files.readString(out.resolve("key.pem"));
			List<X509Certificate> certificates = Pem.readCertificates(chain);
			PrivateKey privateKey = Pem.readPrivateKey(key);
			if (KeyType.matches(privateKey, certificates.get(0).getPublicKey()) || attempt == 5) {
				Files.writeString(snapshot.resolve("leaf.pem"), Pem.write(certificates.get(0)));
				Files.writeString(snapshot.resolve("rest.pem"),
						Pem.write(certificates.subList(1, certificates.size())));
				Files.writeString(snapshot.resolve("key.pem"), key);
				Files.copy(out.resolve("bundle.pem"), snapshot.resolve("bundle.pem"),
						java.nio.file.StandardCopyOption.REPLACE_EXISTING);
				break;
			}
		}
		Commands.Result result = Commands.run(snapshot, "sh", "-c",
				"printf 'x' | openssl s_client -connect 127.0.0.1:" + port
						+ " -servername localhost -verify_hostname localhost -cert leaf.pem -cert_chain rest.pem"
						+ " -key key.pem -CAfile bundle.pem -verify_return_error -brief -ign_eof");
		this.handshakes.incrementAndGet();
		if (result.exitCode() != 0 || !result.output().contains("Verification: OK")
				|| !result.output().contains("ok")) {
			this.failures.add("s_client at " + Instant.now() + ": " + result.output());
		}
	}

	private static boolean rootRetired(TetherServer server) {
		for (JsonNode authority : server.get("/v1/ca").get("authorities")) {
			if (authority.get("kind").asString().equals("root") && authority.get("generation").asInt() == 1) {
				return authority.get("status").asString().equals("retired");
			}
		}
		return false;
	}

	/**
	 * Notes when each root first appears in {@code /v1/bundle} and when it is in every
	 * workload's bundle file.
	 */
	private static void trackRoots(TetherServer server, List<Path> outs, Map<String, Instant> seen,
			Map<String, Instant> inFiles) throws IOException {
		Instant now = Instant.now();
		for (JsonNode authority : server.get("/v1/ca").get("authorities")) {
			if (authority.get("kind").asString().equals("root") && authority.get("generation").asInt() > 1) {
				seen.putIfAbsent(authority.get("sha256").asString(), now);
			}
		}
		for (String root : seen.keySet()) {
			if (inFiles.containsKey(root)) {
				continue;
			}
			Set<Boolean> present = new HashSet<>();
			for (Path out : outs) {
				present.add(Pem.readCertificates(Files.readString(out.resolve("bundle.pem")))
					.stream()
					.anyMatch((certificate) -> io.tether.pki.Thumbprints.sha256Hex(certificate).equals(root)));
			}
			if (present.equals(Set.of(true))) {
				inFiles.put(root, now);
			}
		}
	}

	private static RunningProcess agent(Path work, TetherServer server, String name, String spiffeId, Path out)
			throws IOException {
		Path config = work.resolve(name + ".yaml");
		Files.writeString(config, """
				servers: [%s]
				name: %s
				trustDomain: %s
				joinToken: %s
				dataDir: %s
				sync:
				  interval: %ds
				workloads:
				  - spiffeId: %s
				    outputs:
				      certificate: %s/cert.pem
				      key: %s/key.pem
				      bundle: %s/bundle.pem
				""".formatted(server.url(), name, TD, server.createToken(name), work.resolve("agent-" + name),
				SYNC.toSeconds(), spiffeId, out, out, out));
		return RunningProcess.start(AgentProcess.command(config), work.resolve("agent-" + name + ".log"));
	}

}
