package io.tether.workload.binding;

/**
 * A request whose DPoP proof (RFC 9449) must not be accepted, although the access token
 * itself may be fine: the error is {@code invalid_dpop_proof}, or {@code use_dpop_nonce}
 * when the resource server requires a nonce the proof did not carry (then
 * {@link #nonce()} is the one to use, for the {@code DPoP-Nonce} response header).
 */
public class InvalidDpopProofException extends InvalidTokenException {

	private static final long serialVersionUID = 1L;

	private final String error;

	private final String nonce;

	/**
	 * An {@code invalid_dpop_proof} refusal.
	 * @param message why the proof is refused, for the client and the log
	 */
	public InvalidDpopProofException(String message) {
		this(message, null, null);
	}

	/**
	 * An {@code invalid_dpop_proof} refusal.
	 * @param message why the proof is refused, for the client and the log
	 * @param cause what revealed it
	 */
	public InvalidDpopProofException(String message, Throwable cause) {
		this(message, null, cause);
	}

	private InvalidDpopProofException(String message, String nonce, Throwable cause) {
		super(message, cause);
		this.error = (nonce != null) ? "use_dpop_nonce" : "invalid_dpop_proof";
		this.nonce = nonce;
	}

	/**
	 * A {@code use_dpop_nonce} refusal: the client must retry with {@code nonce}.
	 * @param message why, for the client and the log
	 * @param nonce the nonce to send back in {@code DPoP-Nonce}
	 * @return the exception
	 */
	public static InvalidDpopProofException useNonce(String message, String nonce) {
		return new InvalidDpopProofException(message, nonce, null);
	}

	/**
	 * @return {@code invalid_dpop_proof} or {@code use_dpop_nonce}
	 */
	@Override
	public String error() {
		return this.error;
	}

	/**
	 * @return the nonce the client must use ({@code use_dpop_nonce}), or {@code null}
	 */
	public String nonce() {
		return this.nonce;
	}

}
