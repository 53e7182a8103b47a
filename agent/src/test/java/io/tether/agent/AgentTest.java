package io.tether.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.SpiffeId;
import io.tether.pki.testing.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The whole agent core (enrollment, workloads, delivery, hooks) against a server faked in
 * memory, on a clock moved by hand: no sleeping, no network.
 */
class AgentTest {

	private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

	private static final String WEB = "spiffe://td.example/ns/web";

	private static final String API = "spiffe://td.example/ns/api";

	@TempDir
	Path dir;

	private final ManualClock clock = new ManualClock(START);

	private final ManualScheduler scheduler = new ManualScheduler(this.clock);

	private final FakeCa ca = new FakeCa(this.clock);

	private final AtomicBoolean fatal = new AtomicBoolean();

	private final ExecutorService hookThreads = Executors.newCachedThreadPool();

	private final ByteArrayOutputStream log = new ByteArrayOutputStream();

	private PrintStream logBefore;

	@BeforeEach
	void captureLog() {
		this.logBefore = Log.redirect(new PrintStream(this.log, true, StandardCharsets.UTF_8));
		this.ca.entry(WEB, "web.internal");
		this.ca.entry(API);
	}

	@AfterEach
	void stop() {
		Log.redirect(this.logBefore);
		this.hookThreads.shutdownNow();
	}

	@Test
	void enrollsOnceThenObtainsAndDeliversEachWorkload() throws IOException {
		AgentConfig config = config(workload(WEB, null));
		start(config, (hook, name) -> {
		});

		assertThat(this.ca.issuedFor(FakeCa.AGENT)).hasSize(1);
		assertThat(this.ca.issuedFor(WEB)).hasSize(1);
		assertThat(leaf(WEB)).isEqualTo(this.ca.issuedFor(WEB).get(0));
		assertThat(log()).contains("enrolled agent=host-1", "certificate renewed workload=" + WEB);

		// a second run with the same data directory uses the identity it has
		this.log.reset();
		start(config, (hook, name) -> {
		});
		assertThat(log()).contains("(no re-enrollment)").doesNotContain("enrolled agent=");
		assertThat(this.ca.issuedFor(FakeCa.AGENT)).hasSize(1);
		assertThat(this.ca.issuedFor(WEB)).as("the outputs match the state: nothing asked").hasSize(1);
	}

	@Test
	void aRefusedJoinTokenStopsTheAgent() {
		this.ca.refuseEnrollment = true;
		start(config(workload(WEB, null)), (hook, name) -> {
		});

		assertThat(this.fatal).isTrue();
		assertThat(log()).contains("enrollment refused: join-token-invalid: join token already used");
		assertThat(this.ca.issuedFor(WEB)).isEmpty();
	}

	@Test
	void theAgentRenewsItsOwnCertificateAtHalfItsLife() {
		this.ca.agentLifetime = Duration.ofMinutes(10);
		start(config(), (hook, name) -> {
		});

		this.scheduler.advance(Duration.ofMinutes(5).minusSeconds(1));
		assertThat(this.ca.issuedFor(FakeCa.AGENT)).hasSize(1);
		this.scheduler.advance(Duration.ofSeconds(1));
		assertThat(this.ca.issuedFor(FakeCa.AGENT)).hasSize(2);
		assertThat(this.ca.authenticatedAs.certificate()).isEqualTo(this.ca.issuedFor(FakeCa.AGENT).get(1));
		assertThat(log()).contains("agent certificate renewed serial=");
	}

	@Test
	void aRestartPastTheRenewalPointRenewsAtOnceAndOneBeforeItWaits() {
		AgentConfig config = config(workload(WEB, null));
		start(config, (hook, name) -> {
		});
		assertThat(this.ca.issuedFor(WEB)).hasSize(1);

		// stopped, and started again 20 s later: before the 30 s renewal point
		this.clock.advance(Duration.ofSeconds(20));
		Instant restarted = this.clock.instant();
		ManualScheduler second = new ManualScheduler(this.clock);
		start(config, second, (hook, name) -> {
		});
		assertThat(this.ca.issuedFor(WEB)).hasSize(1);
		second.advance(Duration.ofMillis(9_999));
		assertThat(this.ca.issuedFor(WEB)).hasSize(1);
		second.advance(Duration.ofMillis(1));
		assertThat(this.ca.issuedFor(WEB)).hasSize(2);

		// stopped, and started again 40 s after that certificate: past its renewal point
		this.clock.set(restarted.plusSeconds(10).plusSeconds(40));
		ManualScheduler third = new ManualScheduler(this.clock);
		start(config, third, (hook, name) -> {
		});
		assertThat(this.ca.issuedFor(WEB)).as("renewed at once, without moving the clock").hasSize(3);
		assertThat(leaf(WEB)).isEqualTo(this.ca.issuedFor(WEB).get(2));
	}

	@Test
	void aSlowHookDoesNotDelayAnotherWorkloadsRenewal() {
		CountDownLatch release = new CountDownLatch(1);
		Set<String> hooked = ConcurrentHashMap.newKeySet();
		BiConsumer<AgentConfig.Hook, String> hooks = (hook, name) -> {
			hooked.add(name);
			if (name.equals(WEB)) {
				// a hook that takes its whole timeout
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		};
		AgentConfig.Hook reload = new AgentConfig.Hook(List.of("nginx", "-s", "reload"), Duration.ofSeconds(30), null,
				null);
		try {
			assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
				start(config(workload(WEB, reload), workload(API, reload)), hooks);
				Instant apiRenewal = this.ca.issuedFor(API).get(0).getNotAfter().toInstant().minusSeconds(30);
				this.scheduler.advance(Duration.between(this.clock.instant(), apiRenewal));
				assertThat(this.ca.issuedFor(API)).hasSize(2);
				assertThat(this.ca.issuedFor(WEB)).hasSize(2);
			}, "a hook ran on the renewal thread and held back the renewals");
		}
		finally {
			release.countDown();
		}
		assertThat(hooked).contains(WEB);
	}

	@Test
	void aFailingHookIsReportedAndTheNextRenewalStillHappens() {
		AgentConfig.Hook reload = new AgentConfig.Hook(List.of("false"), Duration.ofSeconds(30), null, null);
		start(config(workload(WEB, reload)), (hook, name) -> {
			throw new IllegalStateException("hook exploded");
		});

		this.scheduler.advance(Duration.ofSeconds(30));

		assertThat(this.ca.issuedFor(WEB)).hasSize(2);
		assertThat(leaf(WEB)).isEqualTo(this.ca.issuedFor(WEB).get(1));
	}

	@Test
	void anUndeliveredCertificateIsRetriedAsItIsUntilItsRenewalPointAndOnlyThenReplaced() throws IOException {
		Path out = this.dir.resolve("web");
		Files.createDirectories(out.resolve("cert.pem").resolve("in-the-way"));
		AgentConfig config = config(workload(WEB, null));
		start(config, (hook, name) -> {
		});
		assertThat(this.ca.issuedFor(WEB)).hasSize(1);
		assertThat(log()).contains("renewal failed item=" + WEB + " attempt=1").contains("cannot write the outputs");

		// retries within the certificate's first half life deliver the one obtained
		for (int i = 0; i < 4; i++) {
			this.scheduler.runNext();
		}
		assertThat(this.ca.issuedFor(WEB)).as("one certificate, retried for delivery").hasSize(1);
		assertThat(new WorkloadState(this.dir, config.workloads().get(0)).chain())
			.as("not recorded as delivered ahead of its outputs")
			.isEmpty();

		deleteRecursively(out.resolve("cert.pem"));
		this.scheduler.runNext();
		assertThat(this.ca.issuedFor(WEB)).hasSize(1);
		assertThat(leaf(WEB)).isEqualTo(this.ca.issuedFor(WEB).get(0));
		assertThat(new WorkloadState(this.dir, config.workloads().get(0)).chain().get(0))
			.isEqualTo(this.ca.issuedFor(WEB).get(0));
	}

	@Test
	void anUndeliveredCertificatePastItsRenewalPointIsReplaced() throws IOException {
		Path out = this.dir.resolve("web");
		Files.createDirectories(out.resolve("cert.pem").resolve("in-the-way"));
		start(config(workload(WEB, null)), (hook, name) -> {
		});

		while (this.scheduler.nextDue().isBefore(START.plusSeconds(30))) {
			this.scheduler.runNext();
		}
		assertThat(this.ca.issuedFor(WEB)).hasSize(1);
		this.scheduler.runNext();
		assertThat(this.ca.issuedFor(WEB)).hasSize(2);
	}

	@Test
	void atStartOutputsThatDifferFromTheStateAreRewrittenWithoutAskingTheServer() throws Exception {
		CountDownLatch hooksRun = new CountDownLatch(2);
		AgentConfig.Hook reload = new AgentConfig.Hook(List.of("true"), Duration.ofSeconds(30), null, null);
		AgentConfig config = config(workload(WEB, reload));
		start(config, (hook, name) -> hooksRun.countDown());
		Files.writeString(this.dir.resolve("web/cert.pem"), "edited by hand");
		this.log.reset();

		start(config, (hook, name) -> hooksRun.countDown());

		assertThat(leaf(WEB)).isEqualTo(this.ca.issuedFor(WEB).get(0));
		assertThat(this.ca.issuedFor(WEB)).hasSize(1);
		assertThat(log()).contains("outputs rewritten workload=" + WEB);
		// hooks run on threads of their own: wait for them, with a deadline
		assertThat(hooksRun.await(10, TimeUnit.SECONDS)).as("the hook ran after each delivery").isTrue();
	}

	@Test
	void theServerBeingDownBacksOffAndKeepsTheFilesInPlace() throws IOException {
		start(config(workload(WEB, null)), (hook, name) -> {
		});
		X509Certificate first = leaf(WEB);
		this.ca.down = true;

		this.scheduler.advance(Duration.ofSeconds(40));

		assertThat(count("renewal failed item=" + WEB)).isBetween(3L, 6L);
		assertThat(leaf(WEB)).isEqualTo(first);
		this.ca.down = false;
		this.scheduler.advance(Duration.ofSeconds(20));
		assertThat(leaf(WEB)).isNotEqualTo(first);
	}

	private void start(AgentConfig config, BiConsumer<AgentConfig.Hook, String> hooks) {
		start(config, this.scheduler, hooks);
	}

	private void start(AgentConfig config, ManualScheduler on, BiConsumer<AgentConfig.Hook, String> hooks) {
		AgentStatus status = new AgentStatus(this.dir, this.clock);
		RenewalLoop loop = new RenewalLoop(on, this.clock, new FixedRandom(0.0), 0.5, 0.0, status,
				() -> this.fatal.set(true));
		new Agent(config, this.ca, loop, new HookRunner(this.hookThreads, hooks), this.clock, on, status).start();
		on.runDue();
	}

	private AgentConfig config(AgentConfig.Workload... workloads) {
		try {
			Path token = this.dir.resolve("join-token");
			Files.writeString(token, "tj1.id.secret." + "ab".repeat(32));
			return new AgentConfig(List.of(URI.create("https://ca.test:8443")), null, null, null, token, this.dir, 0.5,
					0.0, 0, List.of(workloads), Duration.ofMinutes(10));
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private AgentConfig.Workload workload(String spiffeId, AgentConfig.Hook hook) {
		Path out = this.dir.resolve(spiffeId.substring(spiffeId.lastIndexOf('/') + 1));
		return new AgentConfig.Workload(SpiffeId.parse(spiffeId), KeyType.EC_P256, out.resolve("cert.pem"),
				out.resolve("key.pem"), out.resolve("bundle.pem"), null, null, null,
				PosixFilePermissions.fromString("rw-------"), null, hook, false);
	}

	private X509Certificate leaf(String spiffeId) {
		try {
			Path file = this.dir.resolve(spiffeId.substring(spiffeId.lastIndexOf('/') + 1)).resolve("cert.pem");
			return Pem.readCertificates(Files.readString(file)).get(0);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private String log() {
		return this.log.toString(StandardCharsets.UTF_8);
	}

	private long count(String text) {
		return log().lines().filter((line) -> line.contains(text)).count();
	}

	private static void deleteRecursively(Path root) throws IOException {
		try (var paths = Files.walk(root)) {
			for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

}
