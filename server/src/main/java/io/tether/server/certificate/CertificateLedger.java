package io.tether.server.certificate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tether.api.ProblemType;
import io.tether.server.TetherProperties;
import io.tether.server.audit.AuditLog;
import io.tether.server.web.ApiException;
import io.tether.server.web.DatabaseOutages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records issued certificates by group commit: request threads hand their certificate and
 * audit rows to one writer, which inserts everything that queued up while it was busy
 * with multi-row inserts and commits once for the lot. A request thread returns only
 * after the commit that holds its rows, so every certificate a client receives is on
 * record (no ghost certificates), whatever moment the process dies at; a batch that fails
 * records none of its certificates and each of its requests fails.
 * <p>
 * A request may carry a {@link Guard}: checks that must hold in the transaction that
 * records the certificate (an agent still active, its certificate still unrevoked, under
 * their row locks). The writer runs each request's guard before the inserts; a guard that
 * refuses drops its request alone.
 */
@Component
public class CertificateLedger implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(CertificateLedger.class);

	/** What a client refused for a failed batch or a full queue is told to wait. */
	static final Duration RETRY_AFTER = Duration.ofSeconds(1);

	/** How long a request waits for its commit before it gives up. */
	private static final Duration ANSWER_WITHIN = Duration.ofSeconds(60);

	private static final String CERTIFICATE_COLUMNS = "insert into certificate (serial_number, spiffe_id, dns_names,"
			+ " key_type, not_before, not_after, status, x5t_s256, issuer_id, requested_by, certificate_pem,"
			+ " created_at) values ";

	private static final String CERTIFICATE_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

	private static final String AUDIT_COLUMNS = "insert into audit_event (occurred_at, actor, action, subject, detail)"
			+ " values ";

	private static final String AUDIT_ROW = "(?, ?, ?, ?, ?)";

	/**
	 * Checks run inside the writer's transaction, before its inserts.
	 */
	@FunctionalInterface
	public interface Guard {

		/** No check. */
		Guard NONE = () -> {
		};

		/**
		 * @throws ApiException to refuse this request (nothing of it is recorded); any
		 * other exception fails the whole batch
		 */
		void check();

	}

	/**
	 * A batch failed because the database is unreachable. A resource failure, so the
	 * error handler answers it at once as it answers any request that finds the database
	 * away (503 with its Retry-After), without asking the database again.
	 */
	private static final class DatabaseAway extends DataAccessResourceFailureException {

		private static final long serialVersionUID = 1L;

		DatabaseAway(Throwable cause) {
			super("The certificate was not recorded: the database is unreachable", cause);
		}

	}

	private record Pending(CertificateRecord record, String auditDetail, Guard guard, CompletableFuture<Void> done) {
	}

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final DatabaseOutages outages;

	private final Clock clock;

	private final int maxBatch;

	private final BlockingQueue<Pending> queue;

	private final DistributionSummary batchSizes;

	private final Timer commits;

	private volatile boolean accepting;

	private Thread writer;

	CertificateLedger(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, DatabaseOutages outages,
			Clock clock, TetherProperties properties, MeterRegistry registry) {
		this.jdbc = jdbc;
		this.transactions = new TransactionTemplate(transactionManager);
		this.outages = outages;
		this.clock = clock;
		this.maxBatch = properties.issuance().commitBatch();
		this.queue = new ArrayBlockingQueue<>(properties.issuance().commitQueue());
		this.batchSizes = DistributionSummary.builder("tether.issuance.commit.batch")
			.description("Certificates recorded per group commit")
			.register(registry);
		this.commits = Timer.builder("tether.issuance.commit")
			.description("Time to record one group commit of certificates: guards, inserts and commit")
			.register(registry);
		registry.gauge("tether.issuance.commit.queue", this.queue, BlockingQueue::size);
	}

	/**
	 * Records a certificate and its {@code certificate.issued} audit event, and returns
	 * once they are committed.
	 * @param record the certificate record
	 * @param auditDetail the audit event's detail
	 * @param guard checks to run in the recording transaction
	 * @throws ApiException the guard's refusal; {@code unavailable} (503) when the
	 * certificate could not be recorded, in which case nothing of it was
	 */
	void record(CertificateRecord record, String auditDetail, Guard guard) {
		Pending pending = new Pending(record, auditDetail, guard, new CompletableFuture<>());
		if (!this.accepting || !this.queue.offer(pending)) {
			throw unavailable(this.accepting ? "too many certificates are waiting to be recorded"
					: "the server is shutting down");
		}
		try {
			pending.done().get(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof ApiException refused) {
				throw new ApiException(refused.getType(), refused.getMessage(), refused.getRetryAfter());
			}
			// the database is away: answered as any request that finds it away
			throw new DatabaseAway(ex.getCause());
		}
		catch (TimeoutException ex) {
			// it may still be recorded: a record nobody received is harmless, unlike the
			// reverse
			throw unavailable("the database did not record it in time");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw unavailable("the request was interrupted");
		}
	}

	private static ApiException unavailable(String why) {
		return new ApiException(ProblemType.UNAVAILABLE,
				"The certificate was not issued: " + why + ". Nothing was recorded; retry", RETRY_AFTER);
	}

	private void run() {
		List<Pending> batch = new ArrayList<>(this.maxBatch);
		while (true) {
			Pending first;
			try {
				first = this.queue.poll(100, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				// nothing interrupts the writer: stop() lets it write what is queued
				// first
				continue;
			}
			if (first == null) {
				if (!this.accepting) {
					return;
				}
				continue;
			}
			batch.add(first);
			this.queue.drainTo(batch, this.maxBatch - 1);
			try {
				write(batch);
			}
			catch (Throwable ex) {
				// the writer must outlive any batch, or every later request would wait
				// in vain; write() has answered whatever it could not record
				logger.error("The certificate ledger failed a batch of {}", batch.size(), ex);
				batch.forEach((pending) -> pending.done().completeExceptionally(unavailable("the writer failed")));
			}
			batch.clear();
		}
	}

	/**
	 * Writes one batch in one transaction and completes its requests: refused by their
	 * guard, recorded, or all failed.
	 */
	void write(List<Pending> batch) {
		List<Pending> admitted = new ArrayList<>(batch.size());
		Timer.Sample sample = Timer.start();
		try {
			this.transactions.executeWithoutResult((status) -> {
				admitted.clear();
				for (Pending pending : batch) {
					try {
						pending.guard().check();
						admitted.add(pending);
					}
					catch (ApiException ex) {
						pending.done().completeExceptionally(ex);
					}
				}
				insert(admitted);
			});
		}
		catch (RuntimeException ex) {
			boolean away = this.outages.isOutage(ex);
			logger.warn("A batch of {} certificates was not recorded; each of its requests is answered 503: {}",
					batch.size(), ex.toString());
			RuntimeException answer = away ? ex : unavailable("the database did not take it");
			batch.forEach((pending) -> pending.done().completeExceptionally(answer));
			if (away) {
				// what queued meanwhile would wait for the same outage, batch after
				// batch (each up to the driver's socket timeout on a database that
				// hangs): it is answered now, as a request that finds the database away
				List<Pending> queued = new ArrayList<>();
				this.queue.drainTo(queued);
				queued.forEach((pending) -> pending.done().completeExceptionally(answer));
			}
			return;
		}
		finally {
			sample.stop(this.commits);
		}
		this.batchSizes.record(admitted.size());
		admitted.forEach((pending) -> pending.done().complete(null));
	}

	private void insert(List<Pending> admitted) {
		if (admitted.isEmpty()) {
			return;
		}
		List<Object> certificates = new ArrayList<>(admitted.size() * 12);
		List<Object> events = new ArrayList<>(admitted.size() * 5);
		Timestamp now = Timestamp.from(this.clock.instant());
		for (Pending pending : admitted) {
			CertificateRecord record = pending.record();
			certificates.addAll(List.of(record.getSerialNumber(), record.getSpiffeId(),
					String.join(",", record.getDnsNames()), record.getKeyType(), Timestamp.from(record.getNotBefore()),
					Timestamp.from(record.getNotAfter()), record.getStatus().name(), record.getX5tS256(),
					record.getIssuerId(), record.getRequestedBy(), record.getCertificatePem(),
					Timestamp.from(record.getCreatedAt())));
			events.addAll(List.of(now, record.getRequestedBy(), "certificate.issued", record.getSerialNumber(),
					pending.auditDetail()));
		}
		this.jdbc.update(CERTIFICATE_COLUMNS + rows(CERTIFICATE_ROW, admitted.size()), certificates.toArray());
		this.jdbc.update(AUDIT_COLUMNS + rows(AUDIT_ROW, admitted.size()), events.toArray());
	}

	private static String rows(String row, int count) {
		StringBuilder rows = new StringBuilder(count * (row.length() + 2));
		for (int i = 0; i < count; i++) {
			rows.append((i > 0) ? ", " : "").append(row);
		}
		return rows.toString();
	}

	@Override
	public void start() {
		this.accepting = true;
		this.writer = Thread.ofPlatform().name("tether-certificate-ledger").daemon().start(this::run);
	}

	/**
	 * Refuses new requests, writes what is queued, and waits for the writer to finish.
	 */
	@Override
	public void stop() {
		this.accepting = false;
		Thread thread = this.writer;
		if (thread != null) {
			try {
				thread.join(Duration.ofSeconds(30));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.writer = null;
		}
		Pending left;
		while ((left = this.queue.poll()) != null) {
			left.done().completeExceptionally(unavailable("the server is shutting down"));
		}
	}

	@Override
	public boolean isRunning() {
		return this.writer != null;
	}

	/**
	 * Started before the web server opens its port and stopped after it has closed, so
	 * that every request it took in is answered.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

}
