package io.tether.agent;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the server's {@code GET /v1/bundle?intermediates=true} lists, split: the roots
 * (trust anchors) and every intermediate still valid (active, prepared, retiring). A
 * compromised intermediate is dropped from it by an emergency rotation, so a certificate
 * whose issuer is not listed here is one the server no longer stands behind.
 */
record ServerBundle(List<X509Certificate> roots, List<X509Certificate> intermediates) {

	ServerBundle {
		roots = List.copyOf(roots);
		intermediates = List.copyOf(intermediates);
	}

	/**
	 * Splits a list of CA certificates: the self-signed ones are roots, the rest
	 * intermediates.
	 */
	static ServerBundle of(List<X509Certificate> certificates) {
		List<X509Certificate> roots = new ArrayList<>();
		List<X509Certificate> intermediates = new ArrayList<>();
		for (X509Certificate certificate : certificates) {
			(isRoot(certificate) ? roots : intermediates).add(certificate);
		}
		return new ServerBundle(roots, intermediates);
	}

	/** The roots first, then the intermediates, as the server lists them. */
	List<X509Certificate> all() {
		List<X509Certificate> all = new ArrayList<>(this.roots);
		all.addAll(this.intermediates);
		return all;
	}

	/**
	 * Whether both hold the same certificates, in whatever order.
	 */
	boolean sameAs(ServerBundle other) {
		return other != null && Set.copyOf(this.roots).equals(Set.copyOf(other.roots))
				&& Set.copyOf(this.intermediates).equals(Set.copyOf(other.intermediates));
	}

	/**
	 * Whether the server still stands behind the CA that signed this certificate: it was
	 * signed by one of the listed intermediates, itself signed by a listed root, or by a
	 * listed root directly. Signatures are checked, not names: successive intermediates
	 * may carry the same subject.
	 */
	boolean vouchesFor(X509Certificate certificate) {
		if (this.roots.stream().anyMatch((root) -> signed(certificate, root))) {
			return true;
		}
		return this.intermediates.stream()
			.anyMatch((intermediate) -> signed(certificate, intermediate)
					&& this.roots.stream().anyMatch((root) -> signed(intermediate, root)));
	}

	/**
	 * Whether these roots anchor a chain a server presented: one of its certificates is
	 * one of the roots or was signed by one. The handshake that received the chain
	 * validated the rest of it (dates included), against the roots trusted then.
	 */
	boolean anchors(List<X509Certificate> chain) {
		return chain.stream()
			.anyMatch((certificate) -> this.roots.contains(certificate)
					|| this.roots.stream().anyMatch((root) -> signed(certificate, root)));
	}

	private static boolean isRoot(X509Certificate certificate) {
		return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
				&& signed(certificate, certificate);
	}

	private static boolean signed(X509Certificate certificate, X509Certificate issuer) {
		if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
			return false;
		}
		try {
			certificate.verify(issuer.getPublicKey());
			return true;
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			return false;
		}
	}

}
