package io.tether.agent;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tether.pki.KeyType;
import io.tether.pki.testing.ManualClock;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class RenewalLoopTest {

	private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

	@TempDir
	Path dir;

	private final ManualClock clock = new ManualClock(START);

	private final ManualScheduler scheduler = new ManualScheduler(this.clock);

	private final AtomicBoolean fatal = new AtomicBoolean();

	private final ByteArrayOutputStream log = new ByteArrayOutputStream();

	private PrintStream logBefore;

	private AgentStatus status;

	@BeforeEach
	void captureLog() {
		this.logBefore = Log.redirect(new PrintStream(this.log, true, StandardCharsets.UTF_8));
		this.status = new AgentStatus(this.dir, this.clock);
	}

	@AfterEach
	void restoreLog() {
		Log.redirect(this.logBefore);
	}

	@Test
	void renewsAtTheFractionOfTheLifePlusItsJitterMeasuredFromReceipt() {
		// jitter draws 0.5 of 0.1: the renewal point is 55% of a 100 s life
		RenewalLoop loop = loop(new FixedRandom(0.5), 0.5, 0.1);
		Scripted renewable = new Scripted(Duration.ofSeconds(100));

		loop.start(renewable);
		this.scheduler.runDue();
		this.scheduler.advance(Duration.ofMillis(54_999));
		this.scheduler.advance(Duration.ofMillis(1));
		this.scheduler.advance(Duration.ofSeconds(55));

		assertThat(renewable.attempts).containsExactly(START, START.plusSeconds(55), START.plusSeconds(110));
		assertThat(this.status.snapshot().certificates()).singleElement().satisfies((item) -> {
			assertThat(item.nextAttempt()).isEqualTo(START.plusSeconds(165));
			assertThat(item.consecutiveFailures()).isZero();
		});
	}

	@Test
	void failuresBackOffFromHalfASecondDoublingToTheFiveMinuteCap() {
		RenewalLoop loop = loop(new FixedRandom(0.0), 0.5, 0.0);
		Scripted renewable = new Scripted(Duration.ofDays(1));
		renewable.failing = true;

		loop.start(renewable);
		this.scheduler.runDue();
		for (int i = 0; i < 12; i++) {
			this.scheduler.runNext();
		}

		List<Duration> waits = new ArrayList<>();
		for (int i = 1; i < renewable.attempts.size(); i++) {
			waits.add(Duration.between(renewable.attempts.get(i - 1), renewable.attempts.get(i)));
		}
		// equal jitter drawing 0: half of 1 s, 2 s, 4 s... capped at half of 5 min
		assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
				Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(32),
				Duration.ofSeconds(64), Duration.ofSeconds(128), Duration.ofSeconds(150), Duration.ofSeconds(150),
				Duration.ofSeconds(150));
		assertThat(this.status.snapshot().certificates()).singleElement().satisfies((item) -> {
			assertThat(item.consecutiveFailures()).isEqualTo(13);
			assertThat(item.lastError()).contains("server down");
		});
		assertThat(this.log.toString(StandardCharsets.UTF_8))
			.contains("renewal failed item=scripted attempt=13 retryIn=PT2M30S reason=\"");
	}

	@Test
	void aSuccessAfterFailuresResetsTheBackoffAndTheCount() {
		RenewalLoop loop = loop(new FixedRandom(0.0), 0.5, 0.0);
		Scripted renewable = new Scripted(Duration.ofSeconds(100));
		renewable.failing = true;
		loop.start(renewable);
		this.scheduler.runDue();
		this.scheduler.runNext();
		this.scheduler.runNext();

		renewable.failing = false;
		this.scheduler.runNext();
		Instant succeeded = this.clock.instant();
		renewable.failing = true;
		this.scheduler.runNext();
		this.scheduler.runNext();

		Instant renewalPoint = succeeded
			.plus(Duration.between(succeeded, renewable.current().getNotAfter().toInstant()).dividedBy(2));
		assertThat(renewable.attempts).endsWith(succeeded, renewalPoint, renewalPoint.plusMillis(500));
		assertThat(this.status.snapshot().certificates().get(0).consecutiveFailures()).isEqualTo(2);
	}

	@Test
	void aCertificateBelowAFifthOfItsLifeThatFailsToRenewIsReportedLoudly() {
		RenewalLoop loop = loop(new FixedRandom(0.0), 0.5, 0.0);
		Scripted renewable = new Scripted(Duration.ofMinutes(60));
		loop.start(renewable);
		this.scheduler.runDue();
		renewable.failing = true;
		X509Certificate held = renewable.current();
		Instant notBefore = held.getNotBefore().toInstant();
		Instant notAfter = held.getNotAfter().toInstant();
		Instant warnFrom = notAfter.minusMillis(Duration.between(notBefore, notAfter).toMillis() / 5);

		List<Boolean> quietBefore = new ArrayList<>();
		List<Boolean> loudAfter = new ArrayList<>();
		while (this.scheduler.nextDue().isBefore(notAfter)) {
			int before = count("CERTIFICATE ABOUT TO EXPIRE item=scripted");
			this.scheduler.runNext();
			boolean warned = count("CERTIFICATE ABOUT TO EXPIRE item=scripted") > before;
			(this.clock.instant().isBefore(warnFrom) ? quietBefore : loudAfter).add(warned);
		}

		assertThat(quietBefore).isNotEmpty().containsOnly(false);
		assertThat(loudAfter).isNotEmpty().containsOnly(true);
		assertThat(this.log.toString(StandardCharsets.UTF_8))
			.contains(" ERROR CERTIFICATE ABOUT TO EXPIRE item=scripted");
	}

	/**
	 * The CA away for 45% of a certificate's life, from its renewal point (half its life)
	 * on: the backoff must still bring an attempt after the outage and before the expiry,
	 * whatever the lifetime and however the jitter falls. With the fixed 5 min cap alone,
	 * a 2 min, 10 min or 1 h certificate expired.
	 */
	@Test
	void anOutageOf45PercentOfTheLifeFromTheRenewalPointDoesNotLetTheCertificateExpire() {
		for (Duration lifetime : List.of(Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofHours(1),
				Duration.ofHours(24))) {
			for (double draw : new double[] { 0.0, 0.5, 0.999 }) {
				ManualScheduler scheduler = new ManualScheduler(this.clock);
				RenewalLoop loop = new RenewalLoop(scheduler, this.clock, new FixedRandom(draw), 0.5, 0.0, this.status,
						() -> this.fatal.set(true));
				Scripted renewable = new Scripted(lifetime);
				loop.start(renewable);
				scheduler.runDue();
				X509Certificate first = renewable.current();
				// half its life (no renewal jitter), as the loop planned it
				Instant renewalPoint = scheduler.nextDue();
				renewable.downFrom = renewalPoint;
				renewable.downUntil = renewalPoint.plusMillis(lifetime.toMillis() * 45 / 100);

				scheduler
					.advance(Duration.between(this.clock.instant(), first.getNotAfter().toInstant()).minusMillis(1));

				assertThat(renewable.current()).as("renewed before expiry: lifetime " + lifetime + ", jitter " + draw)
					.isNotEqualTo(first);
				assertThat(renewable.attempts).as("tried during the outage").anyMatch(renewalPoint::equals);
			}
		}
	}

	@Test
	void aCertificateThatExpiredWhileRenewalFailedIsRetriedSoonAfterNotAtTheCap() {
		RenewalLoop loop = loop(new FixedRandom(0.999), 0.5, 0.0);
		Scripted renewable = new Scripted(Duration.ofSeconds(30));
		loop.start(renewable);
		this.scheduler.runDue();
		renewable.failing = true;
		Instant notAfter = renewable.current().getNotAfter().toInstant();

		while (!this.clock.instant().isAfter(notAfter)) {
			this.scheduler.runNext();
		}

		// the many short waits of its last seconds do not count as a long outage
		assertThat(Duration.between(this.clock.instant(), this.scheduler.nextDue())).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void aFatalAttemptStopsTheRenewableAndTellsTheDaemon() {
		RenewalLoop loop = loop(new FixedRandom(0.0), 0.5, 0.0);
		Scripted renewable = new Scripted(Duration.ofSeconds(100));
		renewable.fatal = true;

		loop.start(renewable);
		this.scheduler.runDue();

		assertThat(this.fatal).isTrue();
		assertThat(this.status.snapshot().certificates()).singleElement().satisfies((item) -> {
			assertThat(item.nextAttempt()).isNull();
			assertThat(item.lastError()).isEqualTo("token refused");
		});
		this.scheduler.advance(Duration.ofDays(1));
		assertThat(renewable.attempts).hasSize(1);
	}

	private int count(String text) {
		return (int) this.log.toString(StandardCharsets.UTF_8).lines().filter((line) -> line.contains(text)).count();
	}

	private RenewalLoop loop(FixedRandom random, double fraction, double jitter) {
		return new RenewalLoop(this.scheduler, this.clock, random, fraction, jitter, this.status,
				() -> this.fatal.set(true));
	}

	/**
	 * A renewable that records when it is tried, and succeeds (with a new certificate of
	 * the given life, received now) or fails as told.
	 */
	private final class Scripted implements RenewalLoop.Renewable {

		private final TestPki pki = TestPki.root(RenewalLoopTest.this.clock, KeyType.EC_P256);

		private final Duration lifetime;

		private final List<Instant> attempts = new ArrayList<>();

		private X509Certificate current;

		private boolean failing;

		private boolean fatal;

		/** The CA is unreachable from this instant... */
		private Instant downFrom;

		/** ...until this one. */
		private Instant downUntil;

		Scripted(Duration lifetime) {
			this.lifetime = lifetime;
		}

		@Override
		public String name() {
			return "scripted";
		}

		@Override
		public RenewalLoop.Held attempt() throws Exception {
			this.attempts.add(RenewalLoopTest.this.clock.instant());
			if (this.fatal) {
				throw new RenewalLoop.Fatal("token refused");
			}
			Instant now = RenewalLoopTest.this.clock.instant();
			boolean down = this.downFrom != null && !now.isBefore(this.downFrom) && now.isBefore(this.downUntil);
			if (this.failing || down) {
				throw new ServerClient.ServerException("server down", false);
			}
			this.current = this.pki.leaf(KeyType.EC_P256, this.lifetime, "spiffe://td.example/ns/scripted")
				.certificate();
			return new RenewalLoop.Held(this.current, RenewalLoopTest.this.clock.instant());
		}

		@Override
		public X509Certificate current() {
			return this.current;
		}

	}

}
