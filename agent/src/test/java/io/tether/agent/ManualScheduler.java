package io.tether.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

import io.tether.pki.testing.ManualClock;

/**
 * A {@link Scheduler} whose tasks run on the test's thread when the test moves its
 * {@link ManualClock}: time passes without sleeping, and every task due by then runs in
 * the order of its due time.
 */
final class ManualScheduler implements Scheduler {

	private final ManualClock clock;

	private final PriorityQueue<Task> tasks = new PriorityQueue<>();

	private long sequence;

	ManualScheduler(ManualClock clock) {
		this.clock = clock;
	}

	private record Task(Instant due, long sequence, Runnable runnable) implements Comparable<Task> {

		@Override
		public int compareTo(Task other) {
			int byTime = this.due.compareTo(other.due);
			return (byTime != 0) ? byTime : Long.compare(this.sequence, other.sequence);
		}

	}

	@Override
	public synchronized void schedule(Runnable task, Duration delay) {
		this.tasks.add(new Task(this.clock.instant().plus(delay), this.sequence++, task));
	}

	/** Runs every task due now, including those they schedule for now. */
	void runDue() {
		advance(Duration.ZERO);
	}

	/** Moves the clock forward, running each task due on the way at its due time. */
	void advance(Duration duration) {
		Instant target = this.clock.instant().plus(duration);
		while (true) {
			Task next;
			synchronized (this) {
				next = this.tasks.peek();
				if (next == null || next.due().isAfter(target)) {
					break;
				}
				this.tasks.poll();
			}
			if (next.due().isAfter(this.clock.instant())) {
				this.clock.set(next.due());
			}
			next.runnable().run();
		}
		this.clock.set(target);
	}

	/** Moves the clock to the next task and runs everything due then. */
	void runNext() {
		Instant due = nextDue();
		advance(Duration.between(this.clock.instant(), due));
	}

	/** When the next task is due. */
	synchronized Instant nextDue() {
		Task next = this.tasks.peek();
		if (next == null) {
			throw new AssertionError("nothing is scheduled");
		}
		return next.due();
	}

}
