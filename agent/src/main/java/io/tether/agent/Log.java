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

	private static final PrintStream OUT = System.err;

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

	private static void write(String level, String message) {
		OUT.println(Instant.now() + " " + level + " " + message);
	}

}
