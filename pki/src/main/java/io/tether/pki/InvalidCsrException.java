package io.tether.pki;

/**
 * Thrown when a certificate signing request cannot be decoded, or when its signature does
 * not prove possession of the private key.
 */
public class InvalidCsrException extends PkiException {

	private static final long serialVersionUID = 1L;

	private final boolean signatureInvalid;

	InvalidCsrException(String message, boolean signatureInvalid, Throwable cause) {
		super(message, cause);
		this.signatureInvalid = signatureInvalid;
	}

	static InvalidCsrException malformed(String message, Throwable cause) {
		return new InvalidCsrException(message, false, cause);
	}

	static InvalidCsrException badSignature(String message) {
		return new InvalidCsrException(message, true, null);
	}

	/**
	 * Tells a CSR that decodes but whose signature does not verify apart from one that
	 * cannot be decoded at all.
	 * @return {@code true} when the CSR decoded but its proof of possession failed
	 */
	public boolean isSignatureInvalid() {
		return this.signatureInvalid;
	}

}
