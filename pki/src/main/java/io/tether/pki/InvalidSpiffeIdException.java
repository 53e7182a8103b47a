package io.tether.pki;

/**
 * Thrown when a string is not a valid SPIFFE ID or trust domain name. The message names
 * the rule of the SPIFFE ID specification that the input breaks.
 */
public class InvalidSpiffeIdException extends PkiException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message the rule that was broken and the offending input
	 */
	public InvalidSpiffeIdException(String message) {
		super(message);
	}

}
