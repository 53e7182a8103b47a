package io.tether.workload.revocation;

/**
 * No verified revocation answer could be had: the endpoint was unreachable or too slow,
 * answered with an error, or sent something that does not verify (a bad signature, an
 * unauthorized signer, another certificate's answer, a stale or future-dated answer). A
 * response that fails verification is treated exactly like an unreachable responder.
 */
public class RevocationUnavailableException extends Exception {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what failed, for an operator: which endpoint, which check
	 * @param cause the underlying failure, possibly {@code null}
	 */
	public RevocationUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
