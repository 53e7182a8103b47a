package io.tether.server.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import io.tether.server.TetherProperties;
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
 * all), oldest first in the hash chain, a batch per transaction, each batch with a signed
 * {@code PURGE} checkpoint of the point it deleted up to. This job is the only writer
 * that deletes from the log, and it records each run as an event of its own
 * ({@code audit.purged}, with the count, the cut-off and the last sequence deleted),
 * which the next run keeps until it too is a year old. Export the log
 * ({@code GET /v1/audit/export}) before that if it must be kept longer.
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

	private final AuditCheckpoints checkpoints;

	AuditRetention(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, AuditLog audit, JobRuns runs,
			Clock clock, TetherProperties properties, AuditCheckpoints checkpoints) {
		this.jdbc = jdbc;
		this.checkpoints = checkpoints;
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
		int total = 0;
		long through = 0;
		Purged batch;
		do {
			batch = this.transactions.execute((status) -> purgeBatch(before));
			total += batch.deleted();
			through = Math.max(through, batch.through());
		}
		while (batch.more());
		if (total > 0) {
			String detail = "count=" + total + " occurredBefore=" + before + " throughSequence=" + through;
			this.transactions
				.executeWithoutResult((status) -> this.audit.record(AuditLog.SYSTEM, "audit.purged", null, detail));
		}
		return total;
	}

	/**
	 * Deletes the chain's oldest events, in chain order, as far as they are all older
	 * than the cut-off, and records where the chain now starts in a signed checkpoint, in
	 * one transaction: verification then knows the missing prefix was purged, not
	 * tampered with. Only a prefix goes, never an event in the middle: an event that is
	 * younger (a replica's clock ahead, a row written with a time in the future) keeps
	 * the ones after it until it too is due, and so does an unsealed event, which
	 * retention leaves alone.
	 */
	private Purged purgeBatch(Instant before) {
		List<Oldest> oldest = this.jdbc.query(
				"select chain_seq, chain_hash, occurred_at from audit_event where chain_seq is not null"
						+ " order by chain_seq fetch first " + this.settings.batch() + " rows only",
				(row, index) -> new Oldest(row.getLong(1), row.getString(2),
						row.getObject(3, OffsetDateTime.class).toInstant()));
		int due = 0;
		while (due < oldest.size() && oldest.get(due).occurredAt().isBefore(before)) {
			due++;
		}
		if (due == 0) {
			return new Purged(false, 0, 0);
		}
		Oldest last = oldest.get(due - 1);
		long purge = this.checkpoints.write(AuditCheckpoints.Kind.PURGE, last.sequence(), last.hash(),
				this.clock.instant());
		this.checkpoints.deleteBelow(last.sequence(), purge);
		int deleted = this.jdbc.update("delete from audit_event where chain_seq <= ?", last.sequence());
		return new Purged(due == this.settings.batch(), deleted, last.sequence());
	}

	private record Oldest(long sequence, String hash, Instant occurredAt) {
	}

	private record Purged(boolean more, int deleted, long through) {
	}

}
