package io.tether.agent;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * The one place that decides when each renewable thing (the agent's identity, each
 * workload) is tried next: at the configured fraction of its certificate's life plus
 * jitter after a success ({@link Renewal#untilRenewal}), after an exponential backoff
 * after a failure ({@link Renewal#backoff}). It counts consecutive failures, reports a
 * certificate about to expire while renewal keeps failing, and keeps the status up to
 * date. What an attempt does is the renewable's business; when it happens is this
 * class's.
 * <p>
 * Every attempt runs on the {@link Scheduler}, one at a time; nothing slow that is not a
 * renewal (hooks) belongs on it.
 */
final class RenewalLoop {

	/**
	 * Below this share of its lifetime left, a certificate that fails to renew is
	 * reported loudly.
	 */
	static final double EXPIRY_WARNING_SHARE = 0.2;

	private final Scheduler scheduler;

	private final Clock clock;

	private final RandomGenerator random;

	private final double fraction;

	private final double jitter;

	private final AgentStatus status;

	private final Runnable onFatal;

	/**
	 * The latest turn of each renewable: an attempt planned for an earlier turn is
	 * dropped, so that {@link #renewNow} leaves one line of attempts, not two.
	 */
	private final Map<Renewable, Long> turns = new ConcurrentHashMap<>();

	/**
	 * @param fraction renew at this fraction of a certificate's life...
	 * @param jitter ...plus up to this fraction of it, at random
	 * @param onFatal called when an attempt says no retry can help (a refused join token)
	 */
	RenewalLoop(Scheduler scheduler, Clock clock, RandomGenerator random, double fraction, double jitter,
			AgentStatus status, Runnable onFatal) {
		this.scheduler = scheduler;
		this.clock = clock;
		this.random = random;
		this.fraction = fraction;
		this.jitter = jitter;
		this.status = status;
		this.onFatal = onFatal;
	}

	/**
	 * Something the loop keeps renewed. Its attempts run one at a time on the scheduler.
	 */
	interface Renewable {

		/** Its name in the status and the logs: "agent", or a workload's SPIFFE ID. */
		String name();

		/**
		 * Makes sure a current certificate is in place (obtaining, delivering or just
		 * checking one), and says which.
		 * @return the certificate now in place, from which the next renewal is timed
		 * @throws Fatal when no retry can help
		 * @throws Exception when this attempt failed and a later one may succeed
		 */
		Held attempt() throws Exception;

		/**
		 * The certificate in use while attempts fail, for the expiry warning, or
		 * {@code null}.
		 */
		X509Certificate current();

		/**
		 * What it is waiting for beyond a renewal (such as a new join token), for the
		 * status; {@code null} when nothing.
		 */
		default String condition() {
			return null;
		}

	}

	/**
	 * The certificate a renewable holds and when it was received (its lifetime is counted
	 * from then, see {@link Renewal#untilRenewal}).
	 */
	record Held(X509Certificate certificate, Instant receivedAt) {
	}

	/** An attempt failed in a way no retry can fix: an operator must act. */
	static final class Fatal extends Exception {

		private static final long serialVersionUID = 1L;

		Fatal(String message) {
			super(message);
		}

	}

	/**
	 * Schedules the first attempt of a renewable, at once.
	 */
	void start(Renewable renewable) {
		schedule(renewable, 0, 0, Duration.ZERO);
	}

	/**
	 * Moves a renewable's next attempt to now, in place of the one planned: for a
	 * certificate whose issuer the server no longer stands behind (see
	 * {@link BundleSync}). Its failures count from zero again.
	 */
	void renewNow(Renewable renewable) {
		schedule(renewable, 0, 0, Duration.ZERO);
	}

	/**
	 * @param level the backoff's exponent so far: the failures that were not already
	 * waited for less than the exponential (near the certificate's end, see
	 * {@link Renewal#backoff(int, Duration, RandomGenerator)}), so that the many short
	 * waits before an expiry do not leave the backoff at its cap once it expired
	 */
	private void schedule(Renewable renewable, int failuresBefore, int level, Duration wait) {
		long turn = this.turns.merge(renewable, 1L, Long::sum);
		this.scheduler.schedule(() -> {
			if (this.turns.get(renewable) == turn) {
				attempt(renewable, failuresBefore, level);
			}
		}, wait);
	}

	private void attempt(Renewable renewable, int failuresBefore, int levelBefore) {
		String name = renewable.name();
		Held held;
		try {
			held = renewable.attempt();
		}
		catch (Fatal ex) {
			this.status.record(name, renewable.condition(), renewable.current(), null, failuresBefore + 1,
					ex.getMessage());
			this.onFatal.run();
			return;
		}
		catch (Exception ex) {
			int failures = failuresBefore + 1;
			X509Certificate current = renewable.current();
			Duration left = (current != null)
					? Duration.between(this.clock.instant(), current.getNotAfter().toInstant()) : null;
			int level = Renewal.shortenedByLife(levelBefore + 1, left) ? levelBefore : levelBefore + 1;
			Duration wait = Renewal.backoff(levelBefore + 1, left, this.random);
			String reason = reason(ex);
			Log.warn("renewal failed item=" + name + " attempt=" + failures + " retryIn=" + wait + " reason=\"" + reason
					+ "\"");
			warnIfAboutToExpire(name, current);
			this.status.record(name, renewable.condition(), current, this.clock.instant().plus(wait), failures, reason);
			schedule(renewable, failures, level, wait);
			return;
		}
		Duration wait = Renewal.untilRenewal(held.receivedAt(), held.certificate().getNotAfter().toInstant(),
				this.clock.instant(), this.fraction, this.jitter, this.random);
		this.status.record(name, renewable.condition(), held.certificate(), this.clock.instant().plus(wait), 0, null);
		schedule(renewable, 0, 0, wait);
	}

	private void warnIfAboutToExpire(String name, X509Certificate current) {
		if (current == null) {
			return;
		}
		Instant notAfter = current.getNotAfter().toInstant();
		Duration left = Duration.between(this.clock.instant(), notAfter);
		Duration lifetime = Duration.between(current.getNotBefore().toInstant(), notAfter);
		if (left.toMillis() < lifetime.toMillis() * EXPIRY_WARNING_SHARE) {
			Log.error("CERTIFICATE ABOUT TO EXPIRE item=" + name + " notAfter=" + notAfter + " left=" + left
					+ " and renewal keeps failing: check the server and this agent");
		}
	}

	/**
	 * The server's own words for its refusals; the exception's type too for the rest,
	 * since a bare message (a {@code NoSuchFileException}'s is only a path) says too
	 * little.
	 */
	private static String reason(Exception ex) {
		if (ex instanceof ServerClient.ServerException || ex instanceof DeliveryException
				|| ex instanceof Comeback.Waiting) {
			return ex.getMessage();
		}
		return ex.toString();
	}

}
