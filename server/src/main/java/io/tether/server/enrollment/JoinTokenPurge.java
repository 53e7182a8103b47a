package io.tether.server.enrollment;

import java.time.Clock;
import java.time.Duration;

import io.tether.server.TetherProperties;
import io.tether.server.jobs.JobRuns;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A cluster-wide job: deletes join tokens that expired more than
 * {@code tether.jobs.join-token-purge.retention} ago, so the table does not grow with
 * every host ever joined. Runs once per interval across replicas (the lock is held at
 * least {@code lock-at-least}, a little less than the interval, so a replica whose
 * schedule is offset finds it taken).
 */
@Component
class JoinTokenPurge {

	static final String NAME = "join-token-purge";

	private final JoinTokens tokens;

	private final JobRuns runs;

	private final Clock clock;

	private final Duration retention;

	JoinTokenPurge(JoinTokens tokens, JobRuns runs, Clock clock, TetherProperties properties) {
		this.tokens = tokens;
		this.runs = runs;
		this.clock = clock;
		this.retention = properties.jobs().joinTokenPurge().retention();
	}

	@Scheduled(initialDelayString = "${tether.jobs.join-token-purge.interval:PT1H}",
			fixedRateString = "${tether.jobs.join-token-purge.interval:PT1H}")
	@SchedulerLock(name = NAME, lockAtLeastFor = "${tether.jobs.join-token-purge.lock-at-least:PT50M}",
			lockAtMostFor = "${tether.jobs.join-token-purge.interval:PT1H}")
	void purge() {
		this.runs.run(NAME, true,
				() -> "purged " + this.tokens.purgeExpiredBefore(this.clock.instant().minus(this.retention))
						+ " join tokens that expired more than " + this.retention + " ago");
	}

}
