package io.tether.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tether.api.ProblemType;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.testing.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent whose own certificate expired while it was stopped comes back by itself:
 * re-attestation with its key first, then a join token it has not used, never losing the
 * identity it holds on the way. The server is faked in memory, the clock moved by hand.
 */
class ComebackTest {

	private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

	private static final String FIRST_TOKEN = "tj1.first.secret." + "ab".repeat(32);

	private static final String SECOND_TOKEN = "tj1.second.secret." + "ab".repeat(32);

	@TempDir
	Path dir;

	private final ManualClock clock = new ManualClock(START);

	private final FakeCa ca = new FakeCa(this.clock);

	private final AtomicBoolean fatal = new AtomicBoolean();

	private final ByteArrayOutputStream log = new ByteArrayOutputStream();

	private PrintStream logBefore;

	private AgentStatus status;

	private ManualScheduler scheduler;

	@BeforeEach
	void captureLog() {
		this.logBefore = Log.redirect(new PrintStream(this.log, true, StandardCharsets.UTF_8));
	}

	@AfterEach
	void restoreLog() {
		Log.redirect(this.logBefore);
	}

	@Test
	void anAgentAwayLongerThanItsCertificateReattestsWithItsKey() throws IOException {
		run();
		X509Certificate first = identityCertificate();
		stopFor(Duration.ofHours(3));

		run();

		assertThat(this.ca.reattested).containsExactly("host-1");
		X509Certificate back = identityCertificate();
		assertThat(back).isNotEqualTo(first);
		assertThat(back.getPublicKey()).as("the same key").isEqualTo(first.getPublicKey());
		assertThat(back.getNotAfter().toInstant()).isAfter(this.clock.instant());
		assertThat(this.ca.usedTokens).as("no join token needed").containsExactly(FIRST_TOKEN);
		assertThat(this.ca.authenticatedAs.certificate()).isEqualTo(back);
		assertThat(this.status.problems()).isEmpty();
		assertThat(statusOutput()).contains("agent: normal");
	}

	@Test
	void pastTheGraceItWaitsForANewTokenThenEnrollsByItself() throws IOException {
		run();
		X509Certificate first = identityCertificate();
		String firstKey = Files.readString(identity("agent-key.pem"));
		stopFor(Duration.ofDays(30));
		this.ca.refuseReattest = ProblemType.REATTEST_GRACE_PASSED;

		run();

		assertThat(this.fatal).as("the agent keeps running").isFalse();
		assertThat(this.ca.usedTokens).as("the token it used is not sent again").containsExactly(FIRST_TOKEN);
		assertThat(statusOutput()).contains("agent: waiting for a new join token in " + tokenFile());
		assertThat(this.status.problems()).contains("agent: waiting for a new join token in " + tokenFile());
		assertThat(identityCertificate()).as("the identity it holds stays until a new one is there").isEqualTo(first);
		assertThat(Files.readString(identity("agent-key.pem"))).isEqualTo(firstKey);

		this.scheduler.advance(Duration.ofMinutes(10));
		assertThat(this.ca.usedTokens).hasSize(1);

		Files.writeString(tokenFile(), SECOND_TOKEN + "\n");
		this.scheduler.advance(Duration.ofMinutes(10));

		assertThat(this.ca.usedTokens).containsExactlyInAnyOrder(FIRST_TOKEN, SECOND_TOKEN);
		X509Certificate enrolled = identityCertificate();
		assertThat(enrolled.getPublicKey()).as("a new key, born here").isNotEqualTo(first.getPublicKey());
		assertThat(KeyType.matches(Pem.readPrivateKey(Files.readString(identity("agent-key.pem"))),
				enrolled.getPublicKey()))
			.isTrue();
		assertThat(identity("agent-key.next.pem")).doesNotExist();
		assertThat(statusOutput()).contains("agent: normal");
		assertThat(this.log.toString(StandardCharsets.UTF_8)).contains("re-attestation refused", "enrolled agent=");
	}

	@Test
	void anEvictedAgentSaysSoAndWaitsForAToken() throws IOException {
		run();
		stopFor(Duration.ofHours(3));
		this.ca.refuseReattest = ProblemType.AGENT_EVICTED;

		run();

		assertThat(statusOutput()).contains("agent: evicted: waiting for a new join token");
		assertThat(this.status.problems()).contains("agent: evicted");
		this.scheduler.advance(Duration.ofHours(1));
		assertThat(this.ca.usedTokens).containsExactly(FIRST_TOKEN);
		assertThat(this.ca.issuedFor(FakeCa.AGENT)).hasSize(1);
	}

	@Test
	void aServerDownWhileReattestingIsRetriedNotGivenUp() throws IOException {
		run();
		stopFor(Duration.ofHours(3));
		this.ca.down = true;

		run();

		assertThat(statusOutput()).contains("agent: re-attesting");
		this.ca.down = false;
		this.scheduler.advance(Duration.ofMinutes(10));
		assertThat(this.ca.reattested).containsExactly("host-1");
		assertThat(statusOutput()).contains("agent: normal");
	}

	@Test
	void aRunningAgentShutOutFromRenewalComesBackThroughReattestation() throws IOException {
		this.ca.agentLifetime = Duration.ofMinutes(10);
		run();
		this.ca.refuseRenewal = ProblemType.CERTIFICATE_REVOKED;
		this.ca.refuseReattest = ProblemType.CERTIFICATE_REVOKED;

		this.scheduler.advance(Duration.ofMinutes(5));

		assertThat(statusOutput()).contains("agent: waiting for a new join token in " + tokenFile());
		// the new identity the token brings is a new certificate the server knows
		this.ca.refuseRenewal = null;
		this.ca.refuseReattest = null;
		Files.writeString(tokenFile(), SECOND_TOKEN);
		this.scheduler.advance(Duration.ofMinutes(10));
		assertThat(this.ca.usedTokens).contains(SECOND_TOKEN);
		assertThat(statusOutput()).contains("agent: normal");
	}

	/** Starts the agent as a new process would, on the same data directory. */
	private void run() {
		this.scheduler = new ManualScheduler(this.clock);
		this.status = new AgentStatus(this.dir, this.clock);
		RenewalLoop loop = new RenewalLoop(this.scheduler, this.clock, new FixedRandom(0.0), 0.5, 0.0, this.status,
				() -> this.fatal.set(true));
		new Agent(config(), this.ca, loop, HookRunner.threads(), this.clock, this.scheduler, this.status).start();
		this.scheduler.runDue();
	}

	/** The process is gone: its scheduler runs nothing more, time passes. */
	private void stopFor(Duration away) {
		this.clock.advance(away);
	}

	private X509Certificate identityCertificate() throws IOException {
		return Pem.readCertificates(Files.readString(identity("agent-cert.pem"))).get(0);
	}

	private Path identity(String file) {
		return this.dir.resolve("identity").resolve(file);
	}

	private Path tokenFile() {
		return this.dir.resolve("join-token");
	}

	private String statusOutput() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		TetherAgent.status(config(), new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
		return out.toString(StandardCharsets.UTF_8);
	}

	private AgentConfig config() {
		try {
			if (!Files.exists(tokenFile())) {
				Files.writeString(tokenFile(), FIRST_TOKEN + "\n");
			}
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		return new AgentConfig(List.of(URI.create("https://ca.test:8443")), null, null, null, tokenFile(), this.dir,
				0.5, 0.0, 0, List.of(), AgentConfig.DEFAULT_SYNC_INTERVAL);
	}

}
