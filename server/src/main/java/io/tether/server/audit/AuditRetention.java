package io.tether.server.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

import io.tether.server.TetherProperties;
import io.tether.server.jobs.BatchDeletes;
import io.tether.server.jobs.JobRuns;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A cluster-wide job: deletes audit events older than
 * {@code tether.jobs.audit-retention.retention} (a year by default; {@code 0} keeps them
 * all), oldest first, a batch per transaction. This job is the only writer that deletes
 * from the log, and it records each run as an event of its own ({@code audit.purged},
 * with the count and the cut-off), which the next run keeps until it too is a year old.
 * Export the log ({@code GET /v1/audit}) before that if it must be kept longer.
 */
@Component
class AuditRetention {

	static final String NAME = "audit-retention";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final AuditLog audit;

	private final JobRuns runs;

	private final Clock clock;

	private final TetherProperties.Jobs.AuditRetention settings;

	AuditRetention(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, AuditLog audit, JobRuns runs,
			Clock clock, TetherProperties properties) {
		this.jdbc = jdbc;
		this.transactions = new TransactionTemplate(transactionManager);
		this.audit = audit;
		this.runs = runs;
		this.clock = clock;
		this.settings = properties.jobs().auditRetention();
	}

	@Scheduled(initialDelayString = "${tether.jobs.audit-retention.interval:PT1H}",
			fixedDelayString = "${tether.jobs.audit-retention.interval:PT1H}")
	@SchedulerLock(name = NAME, lockAtMostFor = "PT30M")
	void run() {
		if (this.settings.retention().isZero()) {
			return;
		}
		this.runs.run(NAME, true, () -> "deleted " + purge() + " audit events older than " + this.settings.retention());
	}

	/**
	 * Deletes what is due, batch after batch.
	 * @return how many events were deleted
	 */
	int purge() {
		Instant before = this.clock.instant().minus(this.settings.retention());
		int total = BatchDeletes.delete(this.jdbc,
				"delete from audit_event where id in (select id from audit_event"
						+ " where occurred_at < ? order by id fetch first %d rows only)",
				this.settings.batch(), Timestamp.from(before));
		if (total > 0) {
			this.transactions.executeWithoutResult((status) -> this.audit.record(AuditLog.SYSTEM, "audit.purged", null,
					"count=" + total + " occurredBefore=" + before));
		}
		return total;
	}

}
