package io.tether.server.jobs;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.stereotype.Service;

/**
 * Runs scheduled jobs and records each one's last run and outcome in {@code job_run}, so
 * that operators see in {@code tether status} what ran, where, when and how it went. A
 * cluster-wide job (run once across replicas under a ShedLock lock) has one row; a job
 * every replica runs for itself (its own TLS certificate) has one row per replica.
 */
@Service
public class JobRuns {

	private static final Logger logger = LoggerFactory.getLogger(JobRuns.class);

	/** The replica column of a cluster-wide job. */
	static final String CLUSTER = "*";

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final String replica;

	JobRuns(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.replica = replicaName();
	}

	/**
	 * What a job did.
	 */
	public enum Outcome {

		/** It ran and did what was due (possibly nothing). */
		OK,

		/** It failed; it tries again at its next run. */
		FAILED

	}

	/**
	 * One job's last run.
	 */
	public record Run(String name, String replica, long runs, Instant startedAt, Instant finishedAt, Outcome outcome,
			String detail, Instant lastSuccessAt) {
	}

	/**
	 * Runs a job and records how it went; a failure is logged and recorded, never thrown
	 * (the scheduler keeps the next run).
	 * @param name the job's name
	 * @param clusterWide whether it runs once across replicas (under a lock) or on each
	 * @param job the work; returns what it did, in a few words, for the status
	 */
	public void run(String name, boolean clusterWide, Callable<String> job) {
		Instant started = this.clock.instant();
		Outcome outcome;
		String detail;
		try {
			detail = job.call();
			outcome = Outcome.OK;
		}
		catch (Exception ex) {
			logger.error("Job {} failed; it runs again at its next period", name, ex);
			detail = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			outcome = Outcome.FAILED;
		}
		try {
			record(name, clusterWide ? CLUSTER : this.replica, started, this.clock.instant(), outcome, detail);
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot record the run of job {} ({})", name, ex.getMessage());
		}
	}

	/**
	 * This replica's name, as recorded for the jobs every replica runs for itself.
	 */
	String replica() {
		return this.replica;
	}

	/**
	 * Every job's last run, by name and replica.
	 */
	public List<Run> all() {
		return this.jdbc.query(
				"select name, replica, runs, started_at, finished_at, outcome, detail, last_success_at from job_run"
						+ " order by name, replica",
				(row, index) -> new Run(row.getString(1), row.getString(2), row.getLong(3),
						row.getTimestamp(4).toInstant(), row.getTimestamp(5).toInstant(),
						Outcome.valueOf(row.getString(6)), row.getString(7),
						(row.getTimestamp(8) != null) ? row.getTimestamp(8).toInstant() : null));
	}

	private void record(String name, String replica, Instant started, Instant finished, Outcome outcome,
			String detail) {
		String shortDetail = (detail != null && detail.length() > 2000) ? detail.substring(0, 2000) : detail;
		// typed, for a null that PostgreSQL must place in coalesce
		SqlParameterValue success = new SqlParameterValue(Types.TIMESTAMP,
				(outcome == Outcome.OK) ? Timestamp.from(finished) : null);
		Object[] values = { Timestamp.from(started), Timestamp.from(finished), outcome.name(), shortDetail, success,
				name, replica };
		// a failure keeps the last success
		String update = "update job_run set runs = runs + 1, started_at = ?, finished_at = ?, outcome = ?, detail = ?,"
				+ " last_success_at = coalesce(?, last_success_at) where name = ? and replica = ?";
		if (this.jdbc.update(update, values) > 0) {
			return;
		}
		try {
			this.jdbc.update("insert into job_run (started_at, finished_at, outcome, detail, last_success_at, name,"
					+ " replica, runs) values (?, ?, ?, ?, ?, ?, ?, 1)", values);
		}
		catch (DuplicateKeyException ex) {
			this.jdbc.update(update, values);
		}
	}

	/**
	 * This replica's name in the status: host and process, so that two replicas on one
	 * host differ.
	 */
	private static String replicaName() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "unknown-host";
		}
		return host + "/" + ManagementFactory.getRuntimeMXBean().getPid() + "-"
				+ String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
	}

}
