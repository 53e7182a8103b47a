package io.tether.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.Pkcs12;
import io.tether.pki.SpiffeId;
import io.tether.pki.testing.ManualClock;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sync with the server's bundle, in the whole agent against a server faked in memory
 * that rotates its CAs, on a clock moved by hand.
 */
class BundleSyncTest {

	private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

	private static final Duration INTERVAL = Duration.ofSeconds(30);

	private static final String WEB = "spiffe://td.example/ns/web";

	private static final String API = "spiffe://td.example/ns/api";

	@TempDir
	Path dir;

	private final ManualClock clock = new ManualClock(START);

	private final ManualScheduler scheduler = new ManualScheduler(this.clock);

	private final FakeCa ca = new FakeCa(this.clock);

	private final ExecutorService hookThread = Executors.newSingleThreadExecutor();

	private final List<String> hooked = Collections.synchronizedList(new ArrayList<>());

	private final ByteArrayOutputStream log = new ByteArrayOutputStream();

	private PrintStream logBefore;

	private AgentStatus status;

	@BeforeEach
	void setUp() {
		this.logBefore = Log.redirect(new PrintStream(this.log, true, StandardCharsets.UTF_8));
		this.ca.entry(WEB);
		this.ca.entry(API);
		this.ca.workloadLifetime = Duration.ofHours(1);
		this.ca.agentLifetime = Duration.ofHours(1);
	}

	@AfterEach
	void tearDown() {
		Log.redirect(this.logBefore);
		this.hookThread.shutdownNow();
	}

	@Test
	void aNewRootReachesEveryWorkloadsBundleAndTruststoreWithinOneIntervalAndItsHookRuns() throws Exception {
		start(workload(WEB, false));
		X509Certificate oldRoot = this.ca.bundle().get(0);
		assertThat(pem(WEB, "bundle.pem")).containsExactly(oldRoot);
		assertThat(hooks()).containsExactly(WEB);

		TestPki next = this.ca.prepareRoot();
		this.scheduler.advance(INTERVAL);

		X509Certificate newRoot = next.rootCredential().certificate();
		assertThat(pem(WEB, "bundle.pem")).containsExactly(oldRoot, newRoot);
		assertThat(Pkcs12.readTrustStore(Files.readAllBytes(out(WEB).resolve("truststore.p12")), password()))
			.containsExactlyInAnyOrder(oldRoot, newRoot);
		assertThat(hooks()).containsExactly(WEB, WEB);
		assertThat(this.ca.issuedFor(WEB)).as("the certificate stays: only the bundle changed").hasSize(1);
		assertThat(log()).contains("bundle rewritten workload=" + WEB);
	}

	@Test
	void bundleOutputsThatCouldNotBeWrittenAreWrittenAtTheNextSync() throws Exception {
		start(workload(WEB, false));
		X509Certificate oldRoot = this.ca.bundle().get(0);
		Path bundle = out(WEB).resolve("bundle.pem");
		Files.delete(bundle);
		Files.createDirectories(bundle.resolve("in-the-way"));
		TestPki next = this.ca.prepareRoot();

		this.scheduler.advance(INTERVAL);
		assertThat(log()).contains("bundle outputs not written workload=" + WEB);
		assertThat(this.status.snapshot().sync().outcome()).contains("some workload outputs not written");

		Files.delete(bundle.resolve("in-the-way"));
		Files.delete(bundle);
		this.scheduler.advance(INTERVAL);
		assertThat(pem(WEB, "bundle.pem")).containsExactly(oldRoot, next.rootCredential().certificate());
	}

	@Test
	void anUnchangedBundleIsAskedConditionallyAndTouchesNothing() throws Exception {
		start(workload(WEB, false));
		long written = Files.getLastModifiedTime(out(WEB).resolve("bundle.pem")).toMillis();

		this.scheduler.advance(INTERVAL.multipliedBy(10));

		assertThat(this.ca.bundleRequests).as("one request per interval").hasValue(11);
		assertThat(this.ca.bundleNotModified).as("answered 304 after the first").hasValue(10);
		assertThat(Files.getLastModifiedTime(out(WEB).resolve("bundle.pem")).toMillis()).isEqualTo(written);
		assertThat(hooks()).containsExactly(WEB);
	}

	@Test
	void bundleIntermediatesListsTheValidIntermediatesAfterTheRootsOnlyWhereAsked() throws Exception {
		start(workload(WEB, true), workload(API, false));
		X509Certificate root = this.ca.bundle().get(0);
		X509Certificate first = this.ca.issuer();
		assertThat(pem(WEB, "bundle.pem")).containsExactly(root, first);
		assertThat(pem(API, "bundle.pem")).containsExactly(root);

		this.ca.rotateIntermediate(false);
		this.scheduler.advance(INTERVAL);

		assertThat(pem(WEB, "bundle.pem")).containsExactly(root, first, this.ca.issuer());
		assertThat(Pkcs12.readTrustStore(Files.readAllBytes(out(WEB).resolve("truststore.p12")), password()))
			.as("a truststore holds anchors only")
			.containsExactly(root);
		assertThat(pem(API, "bundle.pem")).containsExactly(root);
		assertThat(hooks()).as("nothing changed for API").containsExactlyInAnyOrder(WEB, API, WEB);
	}

	@Test
	void theAgentTrustsTheServedRootsForItsConnectionAndFollowsTheServerToANewRoot() throws Exception {
		start();
		X509Certificate oldRoot = this.ca.bundle().get(0);
		TestPki next = this.ca.prepareRoot();
		X509Certificate newRoot = next.rootCredential().certificate();

		this.scheduler.advance(INTERVAL);
		assertThat(this.ca.authenticatedAs.bundle()).containsExactly(oldRoot, newRoot);
		assertThat(new IdentityStore(this.dir).load().bundle()).containsExactly(oldRoot, newRoot);

		// the server's TLS certificate moves to the new root, the old one goes
		this.ca.activate(next);
		this.ca.retireRoot(oldRoot);
		this.scheduler.advance(INTERVAL);
		assertThat(this.ca.authenticatedAs.bundle()).containsExactly(newRoot);
		assertThat(this.status.snapshot().sync().outcome()).isEqualTo("changed");
	}

	@Test
	void rootsThatWouldNotAuthenticateTheServerThatServedThemAreNotTrustedForTheAgentsConnection() throws Exception {
		start(workload(WEB, false));
		X509Certificate oldRoot = this.ca.bundle().get(0);
		TestPki next = this.ca.prepareRoot();
		// the server stops serving the root its own TLS certificate leads to
		this.ca.retireRoot(oldRoot);

		this.scheduler.advance(INTERVAL);

		assertThat(this.ca.authenticatedAs.bundle()).containsExactly(oldRoot);
		assertThat(new IdentityStore(this.dir).load().bundle()).containsExactly(oldRoot);
		assertThat(log()).contains("does not authenticate the server that served it");
		assertThat(this.status.snapshot().sync().outcome()).contains("roots for this agent's connection kept");
		assertThat(pem(WEB, "bundle.pem")).as("workloads follow the server")
			.containsExactly(next.rootCredential().certificate());
	}

	@Test
	void anEmergencyRotationRenewsEveryCertificateTheDroppedIntermediateSignedWithinOneInterval() throws Exception {
		start(workload(WEB, false), workload(API, false));
		X509Certificate compromised = this.ca.issuer();

		this.ca.rotateIntermediate(true);
		this.scheduler.advance(INTERVAL);

		for (String name : List.of(FakeCa.AGENT, WEB, API)) {
			assertThat(this.ca.issuedFor(name)).as(name).hasSize(2);
			assertThat(this.ca.issuedFor(name).get(1).getIssuerX500Principal())
				.isEqualTo(this.ca.issuer().getSubjectX500Principal());
			this.ca.issuedFor(name).get(1).verify(this.ca.issuer().getPublicKey());
		}
		assertThat(pem(WEB, "cert.pem").get(0)).isEqualTo(this.ca.issuedFor(WEB).get(1));
		assertThat(this.ca.authenticatedAs.certificate()).isEqualTo(this.ca.issuedFor(FakeCa.AGENT).get(1));
		assertThat(log()).contains("issuer no longer in the server's bundle item=" + WEB);

		this.scheduler.advance(INTERVAL.multipliedBy(10));
		assertThat(this.ca.issuedFor(WEB)).as("renewed once, then at its renewal point").hasSize(2);
		assertThat(compromised).isNotEqualTo(this.ca.issuer());
	}

	@Test
	void aCertificateStillNotVouchedForAfterItsRenewalIsNotRenewedInALoop() throws Exception {
		start(workload(WEB, false));
		// a server that leaves its signing intermediate out of its own bundle
		this.ca.unlist(this.ca.issuer());

		this.scheduler.advance(INTERVAL.multipliedBy(10));

		assertThat(this.ca.issuedFor(WEB)).as("renewed once for this bundle").hasSize(2);
		assertThat(count("issuer no longer in the server's bundle item=" + WEB)).isEqualTo(1);
	}

	@Test
	void aFailedSyncIsRecordedAndTheNextOneStillRuns() throws Exception {
		start();
		this.ca.down = true;
		this.scheduler.advance(INTERVAL);

		AgentStatus.Sync failed = this.status.snapshot().sync();
		assertThat(failed.outcome()).isEqualTo("failed");
		assertThat(failed.error()).contains("unreachable");
		assertThat(failed.at()).isEqualTo(START.plus(INTERVAL));
		assertThat(log()).contains("sync failed reason=");

		this.ca.down = false;
		this.ca.prepareRoot();
		this.scheduler.advance(INTERVAL);
		AgentStatus.Sync changed = this.status.snapshot().sync();
		assertThat(changed.outcome()).isEqualTo("changed");
		assertThat(changed.roots()).hasSize(2).allSatisfy((root) -> assertThat(root).contains("SHA-256 "));
		assertThat(AgentStatus.read(this.dir).sync()).isEqualTo(changed);
	}

	private void start(AgentConfig.Workload... workloads) {
		this.status = new AgentStatus(this.dir, this.clock);
		RenewalLoop loop = new RenewalLoop(this.scheduler, this.clock, new FixedRandom(0.0), 0.5, 0.0, this.status,
				() -> {
					throw new AssertionError("fatal");
				});
		HookRunner hooks = new HookRunner(this.hookThread, (hook, name) -> this.hooked.add(name));
		new Agent(config(workloads), this.ca, loop, hooks, this.clock, this.scheduler, this.status).start();
		this.scheduler.runDue();
	}

	/** The hooks run so far, in order, once those triggered have run. */
	private List<String> hooks() throws Exception {
		this.hookThread.submit(() -> {
		}).get(10, TimeUnit.SECONDS);
		return List.copyOf(this.hooked);
	}

	private AgentConfig config(AgentConfig.Workload... workloads) {
		try {
			Path token = this.dir.resolve("join-token");
			Files.writeString(token, "tj1.id.secret." + "ab".repeat(32));
			Files.writeString(this.dir.resolve("password"), "changeit");
			return new AgentConfig(List.of(URI.create("https://ca.test:8443")), null, null, null, token, this.dir, 0.5,
					0.0, 0, List.of(workloads), INTERVAL);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private AgentConfig.Workload workload(String spiffeId, boolean bundleIntermediates) {
		Path out = out(spiffeId);
		return new AgentConfig.Workload(SpiffeId.parse(spiffeId), KeyType.EC_P256, out.resolve("cert.pem"),
				out.resolve("key.pem"), out.resolve("bundle.pem"), null, out.resolve("truststore.p12"),
				this.dir.resolve("password"), PosixFilePermissions.fromString("rw-------"), null,
				new AgentConfig.Hook(List.of("true"), Duration.ofSeconds(5), null, null), bundleIntermediates);
	}

	private Path out(String spiffeId) {
		return this.dir.resolve(spiffeId.substring(spiffeId.lastIndexOf('/') + 1));
	}

	private List<X509Certificate> pem(String spiffeId, String file) throws IOException {
		return Pem.readCertificates(Files.readString(out(spiffeId).resolve(file)));
	}

	private static char[] password() {
		return "changeit".toCharArray();
	}

	private String log() {
		return this.log.toString(StandardCharsets.UTF_8);
	}

	private long count(String text) {
		return log().lines().filter((line) -> line.contains(text)).count();
	}

}
