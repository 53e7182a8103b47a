package io.tether.server.authority;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import io.tether.pki.CaCredential;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;

/**
 * The key stores of the hierarchy: the one where new CA keys go
 * ({@code tether.ca.key-store}), and every one an existing authority's key may be in, so
 * that authorities made before a change of store keep signing until they retire.
 */
final class CaKeys {

	private final CaKeyStore current;

	private final List<CaKeyStore> stores;

	CaKeys(CaKeyStore current, List<CaKeyStore> stores) {
		this.current = current;
		this.stores = List.copyOf(stores);
	}

	/** The store where new CA keys are made. */
	CaKeyStore current() {
		return this.current;
	}

	/** A new key pair in the current store. */
	KeyPair generate(KeyType type) {
		return this.current.generate(type);
	}

	/** Keeps a new authority's key in the current store; the reference for its row. */
	String keep(String authorityId, AuthorityEntity.Kind kind, X509Certificate certificate, PrivateKey key) {
		return this.current.keep(authorityId, kind, certificate, key);
	}

	/** An authority's certificate with its key, signed with by its store's provider. */
	CaCredential credential(AuthorityEntity authority) {
		X509Certificate certificate = Pem.readCertificate(authority.getCertificatePem());
		CaKeyStore store = this.stores.stream()
			.filter((candidate) -> candidate.id().equals(authority.getKeyStore()))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("The key of CA " + authority.getId() + " ("
					+ authority.getKind().name().toLowerCase(java.util.Locale.ROOT) + " generation "
					+ authority.getGeneration() + ") is in key store '" + authority.getKeyStore()
					+ "', which this server does not open: set tether.ca.key-store=" + authority.getKeyStore()
					+ " with its settings"));
		return new CaCredential(certificate, store.open(authority.getId(), authority.getKeyReference(), certificate),
				store.provider());
	}

}
