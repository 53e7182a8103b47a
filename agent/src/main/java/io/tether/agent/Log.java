package io.tether.agent;

import java.io.PrintStream;
import java.time.Instant;

/**
 * One line per event on standard error: time, level, message with {@code key=value}
 * fields. The agent has no logging framework: this is all it needs, and journald or a
 * collector parse it as it is.
 */
final class Log {

	static volatile boolean debug = Boolean.getBoolean("tether.agent.debug");

	private static volatile PrintStream out = System.err;

	private Log() {
	}

	static void info(String message) {
		write("INFO", message);
	}

	static void warn(String message) {
		write("WARN", message);
	}

	static void error(String message) {
		write("ERROR", message);
	}

	static void debug(String message) {
		if (debug) {
			write("DEBUG", message);
		}
	}

	/**
	 * Sends the lines elsewhere (tests that check what the agent says).
	 * @return where they went before
	 */
	static PrintStream redirect(PrintStream to) {
		PrintStream before = out;
		out = to;
		return before;
	}

	private static void write(String level, String message) {
		out.println(Instant.now() + " " + level + " " + message);
	}

}
