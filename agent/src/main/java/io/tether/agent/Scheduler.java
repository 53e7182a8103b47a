package io.tether.agent;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay. The renewal loop schedules through this rather than a thread
 * pool of its own, so that its timing is tested with a clock and a scheduler moved by
 * hand instead of by sleeping.
 */
interface Scheduler {

	void schedule(Runnable task, Duration delay);

	/**
	 * The daemon's scheduler: one non-daemon thread, so that the JVM lives as long as
	 * renewals are planned, and every renewal runs on it in turn (the renewables need no
	 * locks).
	 */
	static SingleThread singleThread(String name) {
		return new SingleThread(Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(false);
			return thread;
		}));
	}

	/** A {@link Scheduler} over one scheduler thread. */
	final class SingleThread implements Scheduler, AutoCloseable {

		private final ScheduledExecutorService executor;

		SingleThread(ScheduledExecutorService executor) {
			this.executor = executor;
		}

		@Override
		public void schedule(Runnable task, Duration delay) {
			this.executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
		}

		@Override
		public void close() {
			this.executor.shutdownNow();
		}

	}

}
