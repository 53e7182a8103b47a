package io.tether.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository's {@code docker-compose.yml}, brought up by a real Docker engine the way
 * a newcomer does (images built from the jars, on the locally built base images in place
 * of the official ones): the demo workload calls the orders server with bound tokens,
 * then the CA's container is killed ({@code docker kill}) and started again. Nothing it
 * recorded is lost, the agent carries on with the identity it has, and the calls go on.
 * Without a Docker engine this test fails and says so: it never skips.
 */
class ComposeIT {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Path REPOSITORY = Path.of(System.getProperty("tether.repository"))
		.toAbsolutePath()
		.normalize();

	@TempDir
	Path dir;

	private final String project = "tether-it-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));

	private final Map<String, String> environment = new HashMap<>();

	private List<String> compose;

	@Test
	void theStackSurvivesTheCaBeingKilledAndCarriesOn() throws Exception {
		this.compose = composeCommand();
		baseImages();
		Path secrets = Files.createDirectories(this.dir.resolve("secrets"));
		byte[] kek = new byte[32];
		new SecureRandom().nextBytes(kek);
		Files.writeString(secrets.resolve("kek"), Base64.getEncoder().encodeToString(kek) + "\n");
		Files.writeString(secrets.resolve("db-password"),
				HexFormat.of().formatHex(new SecureRandom().generateSeed(16)));
		int caPort = RunningProcess.freePort();
		int authzPort = RunningProcess.freePort();
		this.environment.putAll(Map.of("TETHER_BASE_IMAGE", "tether-local/java:latest", "TETHER_POSTGRES_IMAGE",
				"tether-local/postgres:latest", "TETHER_SECRETS", secrets.toString(), "TETHER_CA_PORT",
				String.valueOf(caPort), "TETHER_AUTHZ_PORT", String.valueOf(authzPort), "TETHER_DEMO_TTL", "1m"));

		Instant start = Instant.now();
		run(Duration.ofMinutes(5), "build");
		Instant built = Instant.now();
		run(Duration.ofMinutes(5), "up", "-d");
		RunningProcess.await("web's first bound call answered 200", Duration.ofMinutes(3), () -> okCalls() >= 1);
		System.out.printf("compose: images built in %d s, web's first 200 %d s after 'up'%n",
				Duration.between(start, built).toSeconds(), Duration.between(built, Instant.now()).toSeconds());
		System.out.println(run(Duration.ofSeconds(30), "exec", "-T", "ca", "tether", "status"));
		List<String> stats = new ArrayList<>(List.of("stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}"));
		stats.addAll(containers().values());
		System.out.println(docker(Duration.ofSeconds(30), stats.toArray(String[]::new)));

		// only the CA and the authorization server are published, and on loopback only
		assertThat(run(Duration.ofSeconds(30), "port", "ca", "8443").strip()).isEqualTo("127.0.0.1:" + caPort);
		assertThat(run(Duration.ofSeconds(30), "port", "authz", "9443").strip()).isEqualTo("127.0.0.1:" + authzPort);
		for (String unpublished : List.of("postgres", "agent", "orders")) {
			String ports = docker(Duration.ofSeconds(30), "port", containers().get(unpublished)).strip();
			assertThat(ports).as(unpublished + "'s published ports").isEmpty();
		}
		// every program runs as the unprivileged user
		for (String service : List.of("ca", "authz", "agent", "orders", "web")) {
			assertThat(run(Duration.ofSeconds(30), "exec", "-T", service, "id", "-u").strip()).as(service)
				.isEqualTo("10001");
		}

		Set<String> serialsBefore = serials();
		JsonNode agentBefore = agent();
		long callsBefore = okCalls();
		Instant killed = Instant.now();
		docker(Duration.ofSeconds(30), "kill", containers().get("ca"));
		run(Duration.ofMinutes(2), "start", "ca");
		RunningProcess.await("the CA healthy again", Duration.ofMinutes(2), () -> docker(Duration.ofSeconds(30),
				"inspect", "--format", "{{.State.Health.Status}}", containers().get("ca"))
			.strip()
			.equals("healthy"));
		System.out.printf("compose: CA killed and healthy again in %d s%n",
				Duration.between(killed, Instant.now()).toSeconds());

		assertThat(serials()).as("every certificate on record before the kill").containsAll(serialsBefore);
		assertThat(run(Duration.ofSeconds(30), "exec", "-T", "ca", "tether", "entry", "list", "-o", "json")).contains(
				"spiffe://tether.internal/ns/web", "spiffe://tether.internal/ns/orders",
				"spiffe://tether.internal/ns/authz");
		// the agent keeps its identity: no new enrollment, and it renews web's
		// certificate
		// (1 minute, renewed at about half) with the restarted CA
		JsonNode agentAfter = agent();
		assertThat(agentAfter.get("enrolledAt").asString()).isEqualTo(agentBefore.get("enrolledAt").asString());
		assertThat(agentAfter.get("status").asString()).isEqualTo("active");
		RunningProcess.await("web's certificate renewed by the restarted CA", Duration.ofMinutes(2),
				() -> certificates("spiffe://tether.internal/ns/web").stream()
					.anyMatch((certificate) -> Instant.parse(certificate.get("createdAt").asString()).isAfter(killed)));
		long callsAtRenewal = okCalls();
		RunningProcess.await("web's bound calls going on", Duration.ofMinutes(1),
				() -> okCalls() >= callsAtRenewal + 5);
		System.out.printf("compose: %d calls answered 200 before the kill, %d by the end%n", callsBefore, okCalls());
	}

	@AfterEach
	void down() {
		if (this.compose == null) {
			return;
		}
		try {
			Files.writeString(this.dir.resolve("compose.log"), run(Duration.ofMinutes(1), "logs", "--no-color"));
			System.out.println("compose logs: " + this.dir.resolve("compose.log"));
		}
		catch (IOException | RuntimeException | AssertionError ex) {
			System.out.println("compose logs unavailable: " + ex);
		}
		run(Duration.ofMinutes(2), "down", "-v", "--remove-orphans");
	}

	/** {@code docker compose} (v2) where the engine's CLI has it, else docker-compose. */
	private static List<String> composeCommand() {
		if (exec(List.of("docker", "info"), Map.of(), Duration.ofSeconds(30)).exit() != 0) {
			throw new AssertionError("This test needs a Docker engine and none answers ('docker info' failed): "
					+ "install docker.io and start dockerd (.ci/run does both)");
		}
		if (exec(List.of("docker", "compose", "version"), Map.of(), Duration.ofSeconds(30)).exit() == 0) {
			return List.of("docker", "compose");
		}
		if (exec(List.of("docker-compose", "version"), Map.of(), Duration.ofSeconds(30)).exit() == 0) {
			return List.of("docker-compose");
		}
		throw new AssertionError("This test needs Docker Compose: 'docker compose' or docker-compose "
				+ "(apt-get install docker-compose; .ci/run does)");
	}

	/** The registry-free base images: cached by the script, built on first use. */
	private static void baseImages() {
		Result result = exec(List.of(REPOSITORY.resolve("deploy/docker/local-base-images.sh").toString()), Map.of(),
				Duration.ofMinutes(10));
		if (result.exit() != 0) {
			throw new AssertionError("Cannot build the local base images (deploy/docker/local-base-images.sh, "
					+ "run as root with debootstrap installed):\n" + result.output());
		}
	}

	private Set<String> serials() {
		return certificates(null).stream()
			.map((certificate) -> certificate.get("serialNumber").asString())
			.collect(Collectors.toSet());
	}

	private List<JsonNode> certificates(String spiffeId) {
		List<String> command = new ArrayList<>(
				List.of("exec", "-T", "ca", "tether", "cert", "list", "--limit", "1000", "-o", "json"));
		if (spiffeId != null) {
			command.addAll(List.of("--spiffe-id", spiffeId));
		}
		List<JsonNode> certificates = new ArrayList<>();
		JSON.readTree(run(Duration.ofSeconds(30), command.toArray(String[]::new)))
			.get("certificates")
			.forEach(certificates::add);
		return certificates;
	}

	private JsonNode agent() {
		return JSON.readTree(run(Duration.ofSeconds(30), "exec", "-T", "ca", "tether", "agent", "list", "-o", "json"))
			.get("agents")
			.get(0);
	}

	private long okCalls() {
		return run(Duration.ofSeconds(30), "logs", "--no-color", "web").lines()
			.filter((line) -> line.contains(": 200 orders for spiffe://tether.internal/ns/web"))
			.count();
	}

	/** Service name to container id. */
	private Map<String, String> containers() {
		Map<String, String> ids = new HashMap<>();
		for (String service : List.of("postgres", "ca", "agent", "authz", "orders", "web")) {
			ids.put(service, run(Duration.ofSeconds(30), "ps", "-q", service).strip());
		}
		return ids;
	}

	private String run(Duration timeout, String... arguments) {
		List<String> command = new ArrayList<>(this.compose);
		command.addAll(List.of("--project-name", this.project, "--project-directory", REPOSITORY.toString(), "-f",
				REPOSITORY.resolve("docker-compose.yml").toString()));
		command.addAll(List.of(arguments));
		Result result = exec(command, this.environment, timeout);
		if (result.exit() != 0) {
			throw new AssertionError(String.join(" ", command) + " exited " + result.exit() + ":\n" + result.output());
		}
		return result.output();
	}

	private static String docker(Duration timeout, String... arguments) {
		List<String> command = new ArrayList<>(List.of("docker"));
		command.addAll(List.of(arguments));
		Result result = exec(command, Map.of(), timeout);
		if (result.exit() != 0) {
			throw new AssertionError(String.join(" ", command) + " exited " + result.exit() + ":\n" + result.output());
		}
		return result.output();
	}

	private static Result exec(List<String> command, Map<String, String> environment, Duration timeout) {
		try {
			Path output = Files.createTempFile("tether-compose", ".out");
			try {
				ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(output.toFile());
				builder.environment().putAll(environment);
				Process process = builder.start();
				process.getOutputStream().close();
				if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
					process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
					throw new AssertionError(String.join(" ", command) + " still running after " + timeout + ":\n"
							+ Files.readString(output, StandardCharsets.UTF_8));
				}
				return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
			}
			finally {
				Files.deleteIfExists(output);
			}
		}
		catch (IOException ex) {
			if (command.get(0).startsWith("docker")) {
				return new Result(127, command.get(0) + " cannot be run: " + ex.getMessage());
			}
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted");
		}
	}

	private record Result(int exit, String output) {
	}

}
