package io.tether.server.issuance;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
	 * What an entry allows: one SPIFFE ID, with its DNS names and lifetime, to one agent.
	 */
	record RegisteredEntry(String id, SpiffeId spiffeId, String agent, List<String> dnsNames, Duration ttl) {
	}

}
