package io.tether.workload;

/**
 * The read side of a workload's credentials: whatever is current. Key and trust managers
 * call it at every handshake and hold nothing themselves.
 */
@FunctionalInterface
public interface CredentialSource {

	/**
	 * The current credentials.
	 * @return the latest snapshot that loaded successfully; never {@code null}
	 */
	X509Credentials current();

}
