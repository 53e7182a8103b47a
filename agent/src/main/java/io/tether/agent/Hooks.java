package io.tether.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a workload's hook after its files changed: a command (killed at its timeout) or a
 * signal to the process in a pid file. A failing hook is reported, never retried in a
 * loop: the files are in place either way. Runs to its end on the calling thread:
 * {@link HookRunner} keeps it off the renewal thread.
 */
final class Hooks {

	private Hooks() {
	}

	static void run(AgentConfig.Hook hook, String workload) {
		if (hook == null) {
			return;
		}
		List<String> command;
		if (hook.command() != null) {
			command = hook.command();
		}
		else {
			String pid;
			try {
				pid = Files.readString(hook.pidFile()).strip();
			}
			catch (IOException ex) {
				Log.warn("hook skipped workload=" + workload + " reason=\"cannot read pid file " + hook.pidFile() + ": "
						+ ex.getMessage() + "\"");
				return;
			}
			if (!pid.matches("\\d+")) {
				Log.warn("hook skipped workload=" + workload + " reason=\"pid file " + hook.pidFile()
						+ " holds no pid\"");
				return;
			}
			command = new ArrayList<>(List.of("kill", "-s", hook.signal(), pid));
		}
		Process process = null;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!process.waitFor(hook.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				Log.warn("hook timed out workload=" + workload + " command=" + command + " timeout=" + hook.timeout());
				return;
			}
			if (process.exitValue() != 0) {
				Log.warn("hook failed workload=" + workload + " command=" + command + " exit=" + process.exitValue());
				return;
			}
			Log.info("hook ran workload=" + workload + " command=" + command);
		}
		catch (IOException ex) {
			Log.warn(
					"hook failed workload=" + workload + " command=" + command + " reason=\"" + ex.getMessage() + "\"");
		}
		catch (InterruptedException ex) {
			// the agent is stopping: a hook left running would outlive it unwatched
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
