package io.tether.workload.binding;

/**
 * An access token that must not be accepted: its message is safe to return to the client
 * as the {@code error_description} of the error {@link #error()} names
 * ({@code invalid_token} here; {@link InvalidDpopProofException} for DPoP proofs).
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

	/**
	 * The OAuth error code for the {@code WWW-Authenticate} challenge.
	 * @return {@code invalid_token}
	 */
	public String error() {
		return "invalid_token";
	}

}
