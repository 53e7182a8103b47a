package io.tether.agent;

import java.io.IOException;

/**
 * A workload's outputs could not be written (a read-only or full file system, a directory
 * in the way, an unreadable password file): the message says so and why, for the log and
 * the status.
 */
final class DeliveryException extends IOException {

	private static final long serialVersionUID = 1L;

	DeliveryException(Throwable cause) {
		super("cannot write the outputs: " + cause, cause);
	}

}
