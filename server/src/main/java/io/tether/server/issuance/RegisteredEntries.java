package io.tether.server.issuance;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

import io.tether.pki.LeafSubjects;
import io.tether.pki.SpiffeId;

/**
 * The registration entries as issuance reads them; implemented where entries are kept, so
 * that issuance depends on no other feature.
 */
public interface RegisteredEntries {

	/**
	 * An entry by its id.
	 * @param id the entry id
	 * @return the entry, or empty if there is none
	 */
	Optional<RegisteredEntry> find(String id);

	/**
	 * What an entry allows: one SPIFFE ID, with its DNS names, lifetime and subject, to
	 * one agent, and JWT-SVIDs for its audiences.
	 *
	 * @param id the entry id
	 * @param spiffeId its SPIFFE ID
	 * @param agent the agent it is assigned to
	 * @param dnsNames its DNS names
	 * @param ttl its certificates' lifetime
	 * @param subject its leaves' subject: the entry's own or the default rule's
	 * @param audiences the JWT-SVID audiences it allows
	 */
	record RegisteredEntry(String id, SpiffeId spiffeId, String agent, List<String> dnsNames, Duration ttl,
			X500Principal subject, List<String> audiences) {

		/**
		 * An entry with the default subject and no audiences.
		 */
		public RegisteredEntry(String id, SpiffeId spiffeId, String agent, List<String> dnsNames, Duration ttl) {
			this(id, spiffeId, agent, dnsNames, ttl, LeafSubjects.defaultFor(spiffeId), List.of());
		}

	}

}
