package io.tether.workload;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * One immutable snapshot of a workload's credentials: its key, its chain (leaf first) and
 * the bundle it trusts. Hot reload replaces the whole snapshot, never a part of it.
 *
 * @param privateKey the workload's private key
 * @param chain the certificate chain, leaf first
 * @param bundle the trusted CA certificates
 */
public record X509Credentials(PrivateKey privateKey, List<X509Certificate> chain, List<X509Certificate> bundle) {

	/**
	 * Copies the lists and checks that nothing is missing.
	 * @param privateKey the private key
	 * @param chain the chain, leaf first, not empty
	 * @param bundle the trust bundle, not empty
	 */
	public X509Credentials {
		Objects.requireNonNull(privateKey, "'privateKey' must not be null");
		chain = List.copyOf(chain);
		bundle = List.copyOf(bundle);
		if (chain.isEmpty()) {
			throw new IllegalArgumentException("'chain' must not be empty");
		}
		if (bundle.isEmpty()) {
			throw new IllegalArgumentException("'bundle' must not be empty");
		}
	}

	/**
	 * The workload's own certificate.
	 * @return the first certificate of the chain
	 */
	public X509Certificate leaf() {
		return this.chain.get(0);
	}

	@Override
	public String toString() {
		return "X509Credentials[" + this.leaf().getSerialNumber().toString(16) + "]";
	}

}
