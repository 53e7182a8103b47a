package io.tether.pki;

/**
 * Thrown when a public or private key is of an algorithm, curve or size that Tether does
 * not issue for (see {@link KeyType}).
 */
public class UnsupportedKeyException extends PkiException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message which key was seen and what is supported
	 */
	public UnsupportedKeyException(String message) {
		super(message);
	}

}
