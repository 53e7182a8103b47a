package io.tether.cli;

/**
 * What {@code tether}'s exit status means, for scripts.
 */
final class ExitCode {

	static final int OK = 0;

	/**
	 * Anything else that went wrong: a conflict, a server error, a chain that does not
	 * verify.
	 */
	static final int FAILED = 1;

	/**
	 * A bad flag, argument or configuration: nothing was sent, or the server found the
	 * input malformed.
	 */
	static final int USAGE = 2;

	/** The entry, agent or certificate named does not exist. */
	static final int NOT_FOUND = 3;

	/** The server refused: credentials not accepted, or the request is outside policy. */
	static final int REFUSED = 4;

	/** The server could not be reached. */
	static final int UNREACHABLE = 5;

	/**
	 * The CA's OCSP responder says the certificate is revoked ({@code cert status},
	 * {@code inspect --revocation}): a verified answer, not a failure of the command.
	 */
	static final int REVOKED = 6;

	/**
	 * The CA's OCSP responder does not know the certificate: not issued by this CA, or
	 * its record is gone.
	 */
	static final int STATUS_UNKNOWN = 7;

	private ExitCode() {
	}

}
