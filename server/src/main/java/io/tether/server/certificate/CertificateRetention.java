package io.tether.server.certificate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.tether.server.TetherProperties;
import io.tether.server.audit.AuditLog;
import io.tether.server.jobs.BatchDeletes;
import io.tether.server.jobs.JobRuns;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A cluster-wide job: deletes the records of certificates that expired more than
 * {@code tether.jobs.certificate-retention.retention} ago, so that the table stays flat
 * under a fleet renewing every few minutes instead of growing by every certificate ever
 * issued. A batch at a time, each in its own short transaction, touching only expired
 * rows, so issuance never waits on it. Kept whatever their age:
 * <ul>
 * <li>a revoked certificate until it expired longer ago than a CRL stays valid, so that
 * no CRL still in use lists a serial the server no longer knows;</li>
 * <li>the certificate an agent holds now (an agent re-attests with it after its expiry,
 * within {@code tether.agent.reattest-grace}).</li>
 * </ul>
 * What is deleted is counted in one audit event per run. {@code tether status} counts
 * valid certificates only, so it does not change.
 */
@Component
class CertificateRetention {

	static final String NAME = "certificate-retention";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final AuditLog audit;

	private final JobRuns runs;

	private final Clock clock;

	private final TetherProperties.Jobs.CertificateRetention settings;

	private final Duration crlValidity;

	CertificateRetention(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, AuditLog audit, JobRuns runs,
			Clock clock, TetherProperties properties) {
		this.jdbc = jdbc;
		this.transactions = new TransactionTemplate(transactionManager);
		this.audit = audit;
		this.runs = runs;
		this.clock = clock;
		this.settings = properties.jobs().certificateRetention();
		this.crlValidity = properties.revocation().crlValidity();
	}

	@Scheduled(initialDelayString = "${tether.jobs.certificate-retention.interval:PT10M}",
			fixedDelayString = "${tether.jobs.certificate-retention.interval:PT10M}")
	@SchedulerLock(name = NAME, lockAtMostFor = "PT30M")
	void run() {
		if (this.settings.retention().isZero()) {
			return;
		}
		this.runs.run(NAME, true, () -> "deleted " + purge() + " certificate records that expired more than "
				+ this.settings.retention() + " ago");
	}

	/**
	 * Deletes what is due, batch after batch.
	 * @return how many records were deleted
	 */
	int purge() {
		Instant now = this.clock.instant();
		Timestamp expiredBefore = Timestamp.from(now.minus(this.settings.retention()));
		Duration revokedRetention = (this.crlValidity.compareTo(this.settings.retention()) > 0) ? this.crlValidity
				: this.settings.retention();
		Timestamp revokedExpiredBefore = Timestamp.from(now.minus(revokedRetention));
		int total = BatchDeletes.delete(this.jdbc,
				"delete from certificate where serial_number in (select"
						+ " c.serial_number from certificate c where c.not_after < ? and (c.status <> 'REVOKED' or"
						+ " c.not_after < ?) and not exists (select 1 from agent a where a.certificate_serial ="
						+ " c.serial_number) fetch first %d rows only)",
				this.settings.batch(), expiredBefore, revokedExpiredBefore);
		if (total > 0) {
			this.transactions.executeWithoutResult((status) -> this.audit.record(AuditLog.SYSTEM, "certificate.purged",
					null, "count=" + total + " expiredBefore=" + expiredBefore.toInstant()));
		}
		return total;
	}

}
