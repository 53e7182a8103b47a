package io.tether.agent;

import java.security.cert.X509Certificate;
import java.util.List;

import io.tether.pki.Csr;

/**
 * What the agent asks of the Tether servers, decoded: the agent's core talks to this, so
 * that its tests fake the server in memory ({@link HttpCertificateAuthority} is the real
 * one). Every method throws {@link ServerClient.ServerException}: refused (final) or
 * failed (worth retrying).
 */
interface CertificateAuthority {

	/**
	 * Enrolls with a join token, over TLS pinned to the root the token names.
	 * @param rootSha256 the root CA's SHA-256 fingerprint, from the token
	 */
	Enrolled enroll(String joinToken, String rootSha256, Csr csr) throws ServerClient.ServerException;

	/**
	 * From now on, authenticates as this agent identity (after enrollment and after each
	 * renewal of it).
	 */
	void authenticateAs(IdentityStore.Identity identity);

	/** Renews the agent's own certificate. */
	Issued renewAgent(Csr csr) throws ServerClient.ServerException;

	/**
	 * Re-attests: a new agent certificate for the key of the last one, which may have
	 * expired, without a client certificate; the server is trusted through the bundle the
	 * agent holds.
	 * @param agent the agent's name
	 * @param certificate its last agent certificate
	 * @param csr signed with that certificate's key
	 * @param bundle the trust anchors the agent holds
	 */
	Issued reattest(String agent, X509Certificate certificate, Csr csr, List<X509Certificate> bundle)
			throws ServerClient.ServerException;

	/** The registration entries assigned to this agent. */
	List<Entry> entries() throws ServerClient.ServerException;

	/** Obtains a workload certificate for one of this agent's entries. */
	Issued issue(String entryId, Csr csr) throws ServerClient.ServerException;

	/**
	 * The roots and valid intermediates the server lists now ({@code GET
	 * /v1/bundle?intermediates=true}), over the agent's authenticated connection.
	 * @param etag the tag of the bundle this agent holds, or {@code null}
	 * @return the bundle, or {@code null} when it is still the one tagged {@code etag}
	 */
	Bundle bundle(String etag) throws ServerClient.ServerException;

	/**
	 * Obtains a JWT-SVID for one of this agent's entries and one of its audiences.
	 * @param spiffeId the entry's SPIFFE ID
	 * @param audience the audience
	 */
	Token jwtSvid(String spiffeId, String audience) throws ServerClient.ServerException;

	/**
	 * A JWT-SVID and when it expires.
	 */
	record Token(String token, java.time.Instant expiresAt) {
	}

	/**
	 * A certificate chain (leaf first) and the trust bundle that came with it.
	 */
	record Issued(List<X509Certificate> chain, List<X509Certificate> bundle) {

		X509Certificate certificate() {
			return this.chain.get(0);
		}

	}

	/**
	 * @param certificates the roots, then the intermediates, as served
	 * @param etag its tag, for the next conditional request, or {@code null}
	 * @param servedBy the chain the server presented on the connection that served it
	 */
	record Bundle(List<X509Certificate> certificates, String etag, List<X509Certificate> servedBy) {
	}

	/**
	 * @param agent the agent's name as the server recorded it
	 */
	record Enrolled(String agent, Issued issued) {
	}

	/**
	 * A registration entry: what a CSR for it must name.
	 */
	record Entry(String id, String spiffeId, List<String> dnsNames) {
	}

}
