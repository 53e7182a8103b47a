package io.tether.server.registration;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.tether.api.Entry;
import io.tether.api.ProblemType;
import io.tether.pki.SpiffeId;
import io.tether.server.TetherProperties;
import io.tether.server.audit.AuditLog;
import io.tether.server.issuance.RegisteredEntries;
import io.tether.server.issuance.TrustDomainRule;
import io.tether.server.issuance.TtlRule;
import io.tether.server.web.ApiException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registration entries: which SPIFFE IDs which agent may obtain. An entry may name an
 * agent that has not enrolled yet, so hosts can be registered before they join. Issuance
 * reads entries through {@link RegisteredEntries}.
 */
@Service
public class Entries implements RegisteredEntries {

	private final EntryRepository entries;

	private final AuditLog audit;

	private final TetherProperties properties;

	private final Clock clock;

	Entries(EntryRepository entries, AuditLog audit, TetherProperties properties, Clock clock) {
		this.entries = entries;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Registers an entry, refusing up front what issuance would refuse later (the same
	 * rules), so a bad entry is an error now and not a renewal loop on a host.
	 */
	@Transactional
	public Entry create(SpiffeId spiffeId, String agent, List<String> dnsNames, Duration ttl, String caller) {
		TrustDomainRule.checkWorkloadId(spiffeId, this.properties.trustDomain());
		TtlRule.checkRange(ttl, this.properties.issuance().minTtl(), this.properties.issuance().maxTtl());
		if (this.entries.existsBySpiffeIdAndAgentName(spiffeId.toString(), agent)) {
			throw new ApiException(ProblemType.CONFLICT,
					"Agent '" + agent + "' already has an entry for " + spiffeId + "; delete it first to change it");
		}
		EntryEntity entry = this.entries.save(new EntryEntity(UUID.randomUUID().toString(), spiffeId.toString(), agent,
				dnsNames, ttl, caller, this.clock.instant()));
		this.audit.record(caller, "entry.created", entry.getId(),
				"spiffeId=" + spiffeId + " agent=" + agent + " dnsNames=" + dnsNames + " ttl=" + ttl);
		return view(entry);
	}

	@Transactional(readOnly = true)
	public List<Entry> list(String agent) {
		List<EntryEntity> found = (agent != null) ? this.entries.findByAgentNameOrderBySpiffeIdAsc(agent)
				: this.entries.findAllByOrderByAgentNameAscSpiffeIdAsc();
		return found.stream().map(Entries::view).toList();
	}

	@Transactional(readOnly = true)
	public Entry get(String id) {
		return this.entries.findById(id).map(Entries::view).orElseThrow(() -> notFound(id));
	}

	@Transactional
	public void delete(String id, String caller) {
		EntryEntity entry = this.entries.findById(id).orElseThrow(() -> notFound(id));
		this.entries.delete(entry);
		this.audit.record(caller, "entry.deleted", id,
				"spiffeId=" + entry.getSpiffeId() + " agent=" + entry.getAgentName());
	}

	@Transactional(readOnly = true)
	public long count() {
		return this.entries.count();
	}

	@Override
	@Transactional(readOnly = true)
	public Optional<RegisteredEntry> find(String id) {
		return this.entries.findById(id)
			.map((entry) -> new RegisteredEntry(entry.getId(), SpiffeId.parse(entry.getSpiffeId()),
					entry.getAgentName(), entry.getDnsNames(), entry.getTtl()));
	}

	private static Entry view(EntryEntity entry) {
		return new Entry(entry.getId(), entry.getSpiffeId(), entry.getAgentName(), entry.getDnsNames(),
				entry.getTtl().toString(), entry.getCreatedBy(), entry.getCreatedAt());
	}

	private static ApiException notFound(String id) {
		return new ApiException(ProblemType.NOT_FOUND, "No registration entry with id " + id);
	}

}
