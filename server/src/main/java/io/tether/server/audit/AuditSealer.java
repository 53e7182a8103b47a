package io.tether.server.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.tether.server.TetherProperties;
import io.tether.server.jobs.JobRuns;
import io.tether.server.metrics.DatabaseGauges;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A cluster-wide job, every {@code tether.jobs.audit-seal.interval}: chains the events
 * the writers inserted since its last run. Writers insert without touching the chain, so
 * they never wait for one another on its head; the sealer alone extends it, in id order,
 * a batch per transaction, giving each event the next sequence number, the previous
 * event's hash and its own ({@link AuditChain}). It then writes a signed checkpoint of
 * the head when {@code checkpoint-interval} has passed or {@code checkpoint-events} were
 * sealed since the last one.
 * <p>
 * An unsealed event whose id lies below sealed ones is normally a transaction that
 * committed after the sealer passed its id; it is sealed at the chain's end. One that
 * occurred more than {@code late-limit} before those later events were sealed was no late
 * commit but a row planted in the sealed part of the log: it is left unsealed, so that
 * {@code GET /v1/audit/verify} reports it instead of the chain vouching for it.
 */
@Component
class AuditSealer {

	static final String NAME = "audit-seal";

	private static final Logger logger = LoggerFactory.getLogger(AuditSealer.class);

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final AuditCheckpoints checkpoints;

	private final JobRuns runs;

	private final Clock clock;

	private final TetherProperties.Jobs.AuditSeal settings;

	AuditSealer(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, AuditCheckpoints checkpoints,
			JobRuns runs, Clock clock, TetherProperties properties, DatabaseGauges gauges) {
		this.jdbc = jdbc;
		this.transactions = new TransactionTemplate(transactionManager);
		this.checkpoints = checkpoints;
		this.runs = runs;
		this.clock = clock;
		this.settings = properties.jobs().auditSeal();
		gauges.gauge("tether.audit.unsealed", null, "Audit events not yet in the hash chain",
				() -> (double) count("select count(*) from audit_event where chain_seq is null"));
	}

	@Scheduled(initialDelayString = "${tether.jobs.audit-seal.interval:PT1S}",
			fixedDelayString = "${tether.jobs.audit-seal.interval:PT1S}")
	@SchedulerLock(name = NAME, lockAtMostFor = "PT5M")
	void run() {
		this.runs.run(NAME, true, () -> {
			Sealed sealed = seal();
			return "sealed " + sealed.sealed() + " audit events" + ((sealed.planted() > 0)
					? ", left " + sealed.planted() + " planted ones unsealed (see GET /v1/audit/verify)" : "");
		});
	}

	/**
	 * Seals what is unsealed, batch after batch, then checkpoints when due.
	 */
	Sealed seal() {
		int sealed = 0;
		int planted = 0;
		long afterId = Long.MIN_VALUE;
		Batch batch;
		do {
			long from = afterId;
			batch = this.transactions.execute((status) -> sealBatch(from));
			sealed += batch.sealed();
			planted += batch.planted();
			afterId = batch.lastId();
			checkpointWhenDue();
		}
		while (batch.examined() == this.settings.batch());
		return new Sealed(sealed, planted);
	}

	private Batch sealBatch(long afterId) {
		List<ChainRow> rows = this.jdbc.query("select " + ChainRow.COLUMNS + " from audit_event"
				+ " where chain_seq is null and id > ? order by id fetch first " + this.settings.batch() + " rows only",
				ChainRow::read, afterId);
		if (rows.isEmpty()) {
			return new Batch(0, 0, 0, afterId);
		}
		Head head = head();
		Long highestSealedId = highestSealedId();
		Timestamp now = Timestamp.from(this.clock.instant());
		List<Object[]> updates = new ArrayList<>(rows.size());
		int planted = 0;
		for (ChainRow row : rows) {
			if (highestSealedId != null && row.id() < highestSealedId && planted(row)) {
				logger.warn(
						"Audit event {} ({} by {} at {}) lies among events sealed long after it occurred:"
								+ " it was not written by Tether, and stays out of the chain",
						row.id(), row.action(), row.actor(), row.occurredAt());
				planted++;
				continue;
			}
			long sequence = head.sequence() + 1;
			String hash = row.computeHash(sequence, head.hash());
			updates.add(new Object[] { sequence, head.hash(), hash, now, row.id() });
			head = new Head(sequence, hash);
		}
		int[] counts = this.jdbc.batchUpdate("update audit_event set chain_seq = ?, prev_hash = ?, chain_hash = ?,"
				+ " sealed_at = ? where id = ? and chain_seq is null", updates);
		for (int count : counts) {
			if (count == 0) {
				// another sealer got there: roll back, the next run starts from its head
				throw new IllegalStateException("An audit event was sealed by another run meanwhile");
			}
		}
		return new Batch(rows.size(), updates.size(), planted, rows.get(rows.size() - 1).id());
	}

	/**
	 * Whether an unsealed event below sealed ones occurred longer than a transaction can
	 * take before the nearest of them was sealed: a late commit was still running then.
	 */
	boolean planted(ChainRow row) {
		List<Timestamp> next = this.jdbc.queryForList("select sealed_at from audit_event where id > ?"
				+ " and chain_seq is not null order by id fetch first 1 rows only", Timestamp.class, row.id());
		if (next.isEmpty() || next.get(0) == null) {
			return false;
		}
		return row.occurredAt().plus(this.settings.lateLimit()).isBefore(next.get(0).toInstant());
	}

	Long highestSealedId() {
		List<Long> ids = this.jdbc.queryForList(
				"select id from audit_event where chain_seq is not null order by id desc fetch first 1 rows only",
				Long.class);
		return ids.isEmpty() ? null : ids.get(0);
	}

	/**
	 * The chain's head: its last event, or the last authentic checkpoint when that lies
	 * beyond (retention purged every event up to it), or nothing yet.
	 */
	Head head() {
		List<Head> last = this.jdbc.query(
				"select chain_seq, chain_hash from audit_event where chain_seq is not null"
						+ " order by chain_seq desc fetch first 1 rows only",
				(row, index) -> new Head(row.getLong(1), row.getString(2)));
		Head head = last.isEmpty() ? new Head(0, AuditChain.GENESIS) : last.get(0);
		AuditCheckpoints.Checkpoint checkpoint = this.checkpoints.latest();
		if (checkpoint != null && checkpoint.sequence() > head.sequence() && this.checkpoints.authentic(checkpoint)) {
			return new Head(checkpoint.sequence(), checkpoint.hash());
		}
		return head;
	}

	private void checkpointWhenDue() {
		Head head = head();
		if (head.sequence() == 0) {
			return;
		}
		Instant now = this.clock.instant();
		AuditCheckpoints.Checkpoint latest = this.checkpoints.latest();
		boolean due = latest == null || (head.sequence() > latest.sequence()
				&& (head.sequence() - latest.sequence() >= this.settings.checkpointEvents()
						|| !now.isBefore(latest.createdAt().plus(this.settings.checkpointInterval()))));
		if (due) {
			this.checkpoints.write(AuditCheckpoints.Kind.SEAL, head.sequence(), head.hash(), now);
		}
	}

	private long count(String sql) {
		Long value = this.jdbc.queryForObject(sql, Long.class);
		return (value != null) ? value : 0;
	}

	record Head(long sequence, String hash) {
	}

	record Sealed(int sealed, int planted) {
	}

	private record Batch(int examined, int sealed, int planted, long lastId) {
	}

}
