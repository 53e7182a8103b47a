package io.tether.agent;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.tether.pki.SpiffeId;

/**
 * Runs workloads' hooks off the renewal thread: a hook may take up to its timeout (30 s
 * by default), and on the renewal thread one slow {@code nginx -s reload} would hold back
 * every other workload's renewal. One workload's hook never runs twice at once: asked
 * again while it runs, it runs once more afterwards (the files changed again), however
 * many times it was asked meanwhile.
 */
final class HookRunner implements AutoCloseable {

	private final ExecutorService executor;

	private final BiConsumer<AgentConfig.Hook, String> action;

	private final Map<SpiffeId, Turn> turns = new ConcurrentHashMap<>();

	/**
	 * @param executor runs the hooks; it must not be the renewal scheduler's thread
	 * @param action runs one hook to its end ({@link Hooks#run} in the daemon)
	 */
	HookRunner(ExecutorService executor, BiConsumer<AgentConfig.Hook, String> action) {
		this.executor = executor;
		this.action = action;
	}

	/**
	 * The daemon's runner: a thread per hook that is running, none when none is (the
	 * agent is sized for memory, and hooks are rare).
	 */
	static HookRunner threads() {
		return new HookRunner(new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
				new SynchronousQueue<>(), (runnable) -> {
					Thread thread = new Thread(runnable, "tether-agent-hook");
					thread.setDaemon(true);
					return thread;
				}), Hooks::run);
	}

	/**
	 * Runs the workload's hook, if it has one, soon and elsewhere; returns at once.
	 */
	void trigger(AgentConfig.Workload workload) {
		if (workload.hook() == null) {
			return;
		}
		Turn turn = this.turns.computeIfAbsent(workload.spiffeId(), (key) -> new Turn());
		synchronized (turn) {
			if (turn.running) {
				turn.again = true;
				return;
			}
			turn.running = true;
		}
		try {
			this.executor.execute(() -> runUntilCaughtUp(workload, turn));
		}
		catch (RejectedExecutionException ex) {
			// the agent is stopping: the files are in place, the hook is skipped
			synchronized (turn) {
				turn.running = false;
			}
		}
	}

	private void runUntilCaughtUp(AgentConfig.Workload workload, Turn turn) {
		while (true) {
			try {
				this.action.accept(workload.hook(), workload.spiffeId().toString());
			}
			catch (RuntimeException ex) {
				Log.warn("hook failed workload=" + workload.spiffeId() + " reason=\"" + ex + "\"");
			}
			synchronized (turn) {
				if (!turn.again) {
					turn.running = false;
					return;
				}
				turn.again = false;
			}
		}
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

	/** Whether a workload's hook is running, and whether it must run again after. */
	private static final class Turn {

		private boolean running;

		private boolean again;

	}

}
