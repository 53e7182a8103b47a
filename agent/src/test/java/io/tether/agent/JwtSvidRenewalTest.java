package io.tether.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.tether.pki.KeyType;
import io.tether.pki.SpiffeId;
import io.tether.pki.testing.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JwtSvidRenewal}: against a server faked in memory, on a clock moved by
 * hand.
 */
class JwtSvidRenewalTest {

	private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

	private static final String WEB = "spiffe://td.example/ns/web";

	@TempDir
	Path dir;

	private final ManualClock clock = new ManualClock(START);

	private final ManualScheduler scheduler = new ManualScheduler(this.clock);

	private final FakeCa ca = new FakeCa(this.clock);

	@Test
	void tokenIsWrittenWithTheWorkloadsModeAndRefreshedAtHalfItsLife() throws IOException {
		this.ca.audiences.put(WEB, Set.of("orders"));
		this.ca.jwtLifetime = Duration.ofMinutes(5);
		Path file = this.dir.resolve("orders.jwt");
		AgentStatus status = new AgentStatus(this.dir, this.clock);
		renewal(file, status).start();

		this.scheduler.runDue();
		assertThat(Files.readString(file)).isEqualTo("jwt." + WEB + ".orders.1\n");
		assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
		AgentStatus.Item item = status.snapshot()
			.certificates()
			.stream()
			.filter((candidate) -> candidate.name().equals(WEB + " jwt-svid orders"))
			.findFirst()
			.orElseThrow();
		assertThat(item.notAfter()).isEqualTo(START.plus(Duration.ofMinutes(5)));
		assertThat(item.nextAttempt()).isEqualTo(START.plus(Duration.ofSeconds(150)));

		this.scheduler.advance(Duration.ofSeconds(149));
		assertThat(this.ca.jwtSvids).hasSize(1);
		this.scheduler.advance(Duration.ofSeconds(1));
		assertThat(this.ca.jwtSvids).hasSize(2);
		assertThat(Files.readString(file)).as("refreshed long before the first expired")
			.isEqualTo("jwt." + WEB + ".orders.2\n");
	}

	@Test
	void failureBacksOffKeepsTheFileAndTheNextSuccessReplacesIt() throws IOException {
		this.ca.audiences.put(WEB, Set.of("orders"));
		Path file = this.dir.resolve("orders.jwt");
		AgentStatus status = new AgentStatus(this.dir, this.clock);
		renewal(file, status).start();
		this.scheduler.runDue();
		this.scheduler.advance(Duration.ofSeconds(149));

		this.ca.down = true;
		this.scheduler.advance(Duration.ofSeconds(1));
		assertThat(Files.readString(file)).as("the token in place stays").isEqualTo("jwt." + WEB + ".orders.1\n");
		AgentStatus.Item failed = status.snapshot().certificates().get(0);
		assertThat(failed.consecutiveFailures()).isEqualTo(1);
		assertThat(failed.lastError()).contains("unreachable");
		assertThat(Duration.between(this.clock.instant(), failed.nextAttempt())).as("backoff after one failure")
			.isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));

		this.ca.down = false;
		this.scheduler.advance(Duration.ofSeconds(1));
		assertThat(Files.readString(file)).isEqualTo("jwt." + WEB + ".orders.2\n");
		assertThat(status.snapshot().certificates().get(0).consecutiveFailures()).isZero();
	}

	@Test
	void audienceTheEntryDoesNotListIsRetriedAndWritesNothing() {
		Path file = this.dir.resolve("payments.jwt");
		AgentStatus status = new AgentStatus(this.dir, this.clock);
		renewal(file, status).start();
		this.scheduler.runDue();
		assertThat(file).doesNotExist();
		assertThat(status.snapshot().certificates().get(0).lastError()).contains("audience-not-allowed");
		this.ca.audiences.put(WEB, Set.of("orders"));
		this.scheduler.advance(Duration.ofSeconds(5));
		assertThat(file).exists();
	}

	private JwtSvidRenewal renewal(Path file, AgentStatus status) {
		AgentConfig.Workload workload = new AgentConfig.Workload(SpiffeId.parse(WEB), KeyType.EC_P256, null, null, null,
				null, null, null, PosixFilePermissions.fromString("rw-r-----"), null, null, false,
				List.of(new AgentConfig.JwtSvidFile("orders", file)));
		return new JwtSvidRenewal(workload, workload.jwtSvids().get(0), this.ca, this.scheduler, this.clock,
				new FixedRandom(0.5), 0.5, 0, status);
	}

}
