package io.tether.agent;

import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

import io.tether.api.ProblemType;
import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.SpiffeId;

/**
 * Enrollment with a join token: a new key, born here, and the agent certificate for it.
 * The same for a first enrollment and for an agent that comes back with a new token; an
 * identity already held is replaced only once the new one is complete on disk.
 */
final class Enrollment {

	private final AgentConfig config;

	private final IdentityStore store;

	private final CertificateAuthority ca;

	private final Clock clock;

	Enrollment(AgentConfig config, IdentityStore store, CertificateAuthority ca, Clock clock) {
		this.config = config;
		this.store = store;
		this.ca = ca;
		this.clock = clock;
	}

	/**
	 * The token's id, the part that names it without its secret: what the agent keeps to
	 * know it used a token.
	 */
	static String tokenId(String token) {
		String[] parts = token.split("\\.");
		return (parts.length == 4) ? parts[1] : Integer.toHexString(token.hashCode());
	}

	/**
	 * Enrolls and saves the new identity; the token counts as used once the server has
	 * accepted it, or refused it as used, expired or unknown.
	 * @throws ServerClient.ServerException refused or failed
	 */
	IdentityStore.Identity enroll(String token) throws ServerClient.ServerException, IOException {
		String[] parts = token.split("\\.");
		if (parts.length != 4) {
			throw new ServerClient.ServerException(
					"the join token is malformed: expected tj1.<id>.<secret>.<root-sha256>", true);
		}
		KeyPair keys = KeyType.EC_P256.generate();
		SpiffeId asked = (this.config.name() != null)
				? new SpiffeId(this.config.trustDomain(), "/agent/" + this.config.name()) : null;
		CertificateAuthority.Enrolled enrolled;
		try {
			enrolled = this.ca.enroll(token, parts[3], Csr.create(keys, asked, List.of()));
		}
		catch (ServerClient.ServerException ex) {
			if (ex.problem() == ProblemType.INVALID_JOIN_TOKEN) {
				// used, expired or unknown: no retry of this token can help; other
				// refusals (a name the token is not for) leave it to be tried again
				this.store.spend(tokenId(token));
			}
			throw ex;
		}
		this.store.spend(tokenId(token));
		IdentityStore.Identity fresh = new IdentityStore.Identity(keys.getPrivate(), enrolled.issued().chain(),
				enrolled.issued().bundle(), this.clock.instant());
		this.store.replace(fresh);
		X509Certificate certificate = fresh.certificate();
		Log.info("enrolled agent=" + enrolled.agent() + " spiffeId=" + IdentityRenewal.spiffeId(certificate)
				+ " notAfter=" + certificate.getNotAfter().toInstant());
		return fresh;
	}

}
