package io.tether.workload.binding;

/**
 * An access token that must not be accepted: its message is safe to return to the client
 * as the {@code error_description} of an {@code invalid_token} error.
 */
public class InvalidTokenException extends Exception {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message why the token is refused, for the client and the log
	 */
	public InvalidTokenException(String message) {
		super(message);
	}

	/**
	 * @param message why the token is refused, for the client and the log
	 * @param cause what revealed it
	 */
	public InvalidTokenException(String message, Throwable cause) {
		super(message, cause);
	}

}
