package io.tether.server.registration;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.security.auth.x500.X500Principal;

import io.tether.api.Entry;
import io.tether.api.EntryDeletion;
import io.tether.api.ProblemType;
import io.tether.pki.SpiffeId;
import io.tether.server.TetherProperties;
import io.tether.server.audit.AuditLog;
import io.tether.server.certificate.Certificates;
import io.tether.server.certificate.Revocations;
import io.tether.server.identity.AgentNames;
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

	private final Revocations revocations;

	private final Certificates certificates;

	Entries(EntryRepository entries, AuditLog audit, TetherProperties properties, Clock clock, Revocations revocations,
			Certificates certificates) {
		this.entries = entries;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
		this.revocations = revocations;
		this.certificates = certificates;
	}

	/**
	 * Registers an entry, refusing up front what issuance would refuse later (the same
	 * rules), so a bad entry is an error now and not a renewal loop on a host.
	 */
	@Transactional
	public Entry create(SpiffeId spiffeId, String agent, List<String> dnsNames, Duration ttl, String caller) {
		return create(spiffeId, agent, dnsNames, ttl, null, List.of(), caller);
	}

	/**
	 * Registers an entry with its own leaf subject and JWT-SVID audiences.
	 * @param subject its leaves' subject, or {@code null} for the default rule
	 * @param audiences the JWT-SVID audiences it allows, validated
	 */
	@Transactional
	public Entry create(SpiffeId spiffeId, String agent, List<String> dnsNames, Duration ttl, X500Principal subject,
			List<String> audiences, String caller) {
		TrustDomainRule.checkWorkloadId(spiffeId, this.properties.trustDomain());
		TtlRule.checkRange(ttl, this.properties.issuance().minTtl(), this.properties.issuance().maxTtl());
		if (this.entries.existsBySpiffeIdAndAgentName(spiffeId.toString(), agent)) {
			throw new ApiException(ProblemType.CONFLICT,
					"Agent '" + agent + "' already has an entry for " + spiffeId + "; delete it first to change it");
		}
		EntrySubjects.check(spiffeId, subject, this.entries.findBySpiffeIdOrSubjectIsNotNull(spiffeId.toString()));
		String stored = (subject != null) ? subject.getName() : null;
		EntryEntity entry = this.entries.save(new EntryEntity(UUID.randomUUID().toString(), spiffeId.toString(), agent,
				dnsNames, ttl, caller, this.clock.instant(), stored, audiences));
		this.audit.record(caller, "entry.created", entry.getId(),
				"spiffeId=" + spiffeId + " agent=" + agent + " dnsNames=" + dnsNames + " ttl=" + ttl + " subject="
						+ EntrySubjects.effective(spiffeId, stored).getName() + " audiences=" + audiences);
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

	/**
	 * Deletes an entry: its agent obtains no new certificate for it. With {@code revoke},
	 * the certificates the agent obtained for it that are still good are revoked in the
	 * same transaction; without, they stay valid until they expire, and the answer says
	 * how many and until when.
	 * @param id the entry's id
	 * @param revoke whether to revoke its live certificates
	 * @param caller who asks, for the audit log
	 * @return what was deleted and revoked, and what stays valid
	 * @throws ApiException {@code not-found} for an unknown id (nothing changes)
	 */
	@Transactional
	public EntryDeletion delete(String id, boolean revoke, String caller) {
		EntryEntity entry = this.entries.findById(id).orElseThrow(() -> notFound(id));
		this.entries.delete(entry);
		// what an agent's issuance records as the requester: its own SPIFFE ID
		String agent = AgentNames.spiffeId(this.properties.trustDomain(), entry.getAgentName()).toString();
		int revoked = revoke
				? this.revocations.revokeAllIssuedFor(entry.getSpiffeId(), agent, "cessationOfOperation", caller) : 0;
		Certificates.Live live = this.certificates.liveIssuedFor(entry.getSpiffeId(), agent, this.clock.instant());
		this.audit.record(caller, "entry.deleted", id, "spiffeId=" + entry.getSpiffeId() + " agent="
				+ entry.getAgentName() + " revokedCertificates=" + revoked + " liveCertificates=" + live.count());
		return new EntryDeletion(id, entry.getSpiffeId(), entry.getAgentName(), revoked, live.count(), live.until());
	}

	@Transactional(readOnly = true)
	public long count() {
		return this.entries.count();
	}

	@Override
	@Transactional(readOnly = true)
	public Optional<RegisteredEntry> find(String id) {
		return this.entries.findById(id).map((entry) -> {
			SpiffeId spiffeId = SpiffeId.parse(entry.getSpiffeId());
			return new RegisteredEntry(entry.getId(), spiffeId, entry.getAgentName(), entry.getDnsNames(),
					entry.getTtl(), EntrySubjects.effective(spiffeId, entry.getSubject()), entry.getAudiences());
		});
	}

	private static Entry view(EntryEntity entry) {
		return new Entry(entry.getId(), entry.getSpiffeId(), entry.getAgentName(), entry.getDnsNames(),
				entry.getTtl().toString(), entry.getCreatedBy(), entry.getCreatedAt(),
				EntrySubjects.effective(SpiffeId.parse(entry.getSpiffeId()), entry.getSubject()).getName(),
				entry.getAudiences());
	}

	private static ApiException notFound(String id) {
		return new ApiException(ProblemType.NOT_FOUND, "No registration entry with id " + id);
	}

}
