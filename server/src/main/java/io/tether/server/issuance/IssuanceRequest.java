package io.tether.server.issuance;

import java.time.Duration;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import io.tether.pki.Csr;
import io.tether.pki.SpiffeId;

/**
 * A request to issue, decoded but not yet checked by policy.
 *
 * @param csr the requester's CSR, not yet verified
 * @param spiffeId the SPIFFE ID the certificate is to carry
 * @param dnsNames the DNS names, validated and in lower case
 * @param ttl the requested lifetime
 * @param requestedBy who asks, for the record and the audit log
 * @param purpose which path the request came by: it picks the policy
 * @param entryId the registration entry an agent asks for ({@code AGENT_WORKLOAD} only)
 * @param subject the leaf's subject as its entry sets it, or {@code null} for the default
 * rule ({@link io.tether.pki.LeafSubjects#defaultFor})
 */
public record IssuanceRequest(Csr csr, SpiffeId spiffeId, List<String> dnsNames, Duration ttl, String requestedBy,
		Purpose purpose, String entryId, X500Principal subject) {

	/**
	 * A request whose leaf gets the default subject.
	 */
	public IssuanceRequest(Csr csr, SpiffeId spiffeId, List<String> dnsNames, Duration ttl, String requestedBy,
			Purpose purpose, String entryId) {
		this(csr, spiffeId, dnsNames, ttl, requestedBy, purpose, entryId, null);
	}

	/**
	 * A request from an admin through {@code POST /v1/certificates}.
	 */
	public IssuanceRequest(Csr csr, SpiffeId spiffeId, List<String> dnsNames, Duration ttl, String requestedBy) {
		this(csr, spiffeId, dnsNames, ttl, requestedBy, Purpose.ADMIN, null);
	}

	/**
	 * An agent's own identity, at enrollment or renewal.
	 */
	public static IssuanceRequest agentIdentity(Csr csr, SpiffeId agentId, Duration ttl) {
		return new IssuanceRequest(csr, agentId, List.of(), ttl, agentId.toString(), Purpose.AGENT_IDENTITY, null);
	}

	/**
	 * An agent asking for one of its registration entries, as registered.
	 */
	public static IssuanceRequest forEntry(Csr csr, RegisteredEntries.RegisteredEntry entry, String requestedBy) {
		return new IssuanceRequest(csr, entry.spiffeId(), entry.dnsNames(), entry.ttl(), requestedBy,
				Purpose.AGENT_WORKLOAD, entry.id(), entry.subject());
	}

	/**
	 * The ways a certificate is asked for.
	 */
	public enum Purpose {

		/** An admin asks for any workload ID; CSR SANs, if any, must match. */
		ADMIN,

		/**
		 * An agent asks for one of its registration entries; CSR SANs must match exactly.
		 */
		AGENT_WORKLOAD,

		/**
		 * An agent's own identity, at enrollment or renewal; the server sets the
		 * lifetime.
		 */
		AGENT_IDENTITY

	}

}
