package io.tether.server.authority;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;

import io.tether.pki.KeyType;

/**
 * Where the private keys of CA authorities are made and kept: sealed under the KEK in the
 * database ({@link KekCaKeyStore}), or in a PKCS#11 token that never lets them out
 * ({@link Pkcs11CaKeyStore}). Each authority row names the store that holds its key and
 * the reference that finds it there, so a hierarchy can move from one store to the other
 * at a rotation.
 */
interface CaKeyStore {

	/**
	 * The store's name, as {@code tether.ca.key-store} and the authority's
	 * {@code key_store} column spell it.
	 * @return {@code kek} or {@code pkcs11}
	 */
	String id();

	/**
	 * Makes a new key pair in this store.
	 * @param type the key type
	 * @return the pair; the private key may be a handle that cannot be exported
	 */
	KeyPair generate(KeyType type);

	/**
	 * The provider that signs with this store's keys.
	 * @return the provider
	 */
	Provider provider();

	/**
	 * Keeps the key of a new authority.
	 * @param authorityId the authority's id
	 * @param kind root or intermediate
	 * @param certificate its certificate
	 * @param key its private key, from {@link #generate}
	 * @return what the database keeps to find the key again: the sealed key, or the key's
	 * label in the token
	 */
	String keep(String authorityId, AuthorityEntity.Kind kind, X509Certificate certificate, PrivateKey key);

	/**
	 * Finds an authority's key again.
	 * @param authorityId the authority's id
	 * @param reference what {@link #keep} returned
	 * @param certificate the authority's certificate, whose public key the key must match
	 * @return the private key
	 * @throws IllegalStateException when the key cannot be found or opened, saying what
	 * to do
	 */
	PrivateKey open(String authorityId, String reference, X509Certificate certificate);

}
