package io.tether.pki;

/**
 * Base of the exceptions thrown by Tether's PKI library. Every message names what was
 * wrong with the input so that it can be shown to an operator as it is.
 */
public class PkiException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception with a message for the operator.
	 * @param message what went wrong and, where it helps, what to do
	 */
	public PkiException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with a message for the operator and the underlying cause.
	 * @param message what went wrong and, where it helps, what to do
	 * @param cause the exception that revealed the problem
	 */
	public PkiException(String message, Throwable cause) {
		super(message, cause);
	}

}
