package io.tether.server.registration;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.tether.pki.SpiffeId;
import io.tether.server.TetherProperties;
import io.tether.server.admin.AdminOnly;
import io.tether.server.admin.ClientCertificates;
import io.tether.server.agent.AgentNames;
import io.tether.server.audit.AuditLog;
import io.tether.server.issuance.RequestFields;
import io.tether.server.issuance.TrustDomainRule;
import io.tether.server.issuance.TtlRule;
import io.tether.server.web.ApiException;
import io.tether.server.web.ProblemType;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Registration entries (admin): which SPIFFE IDs which agent may obtain. An entry may
 * name an agent that has not enrolled yet, so hosts can be registered before they join.
 */
@RestController
@RequestMapping("/v1/entries")
@AdminOnly
class EntryController {

	private final EntryRepository entries;

	private final AuditLog audit;

	private final TetherProperties properties;

	private final Clock clock;

	EntryController(EntryRepository entries, AuditLog audit, TetherProperties properties, Clock clock) {
		this.entries = entries;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
	}

	@PostMapping(consumes = "application/json")
	@Transactional
	ResponseEntity<EntryView> create(@RequestBody EntryRequest body, HttpServletRequest http) {
		if (body == null || body.agent() == null) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'agent' is required");
		}
		SpiffeId spiffeId = RequestFields.spiffeId(body.spiffeId());
		String agent = AgentNames.validate(body.agent());
		List<String> dnsNames = RequestFields.dnsNames(body.dnsNames());
		Duration ttl = RequestFields.ttl(body.ttl(), this.properties.issuance().defaultTtl());
		checkPolicy(spiffeId, ttl);
		if (this.entries.existsBySpiffeIdAndAgentName(spiffeId.toString(), agent)) {
			throw new ApiException(ProblemType.CONFLICT,
					"Agent '" + agent + "' already has an entry for " + spiffeId + "; delete it first to change it");
		}
		String caller = ClientCertificates.caller(http);
		EntryEntity entry = this.entries.save(new EntryEntity(UUID.randomUUID().toString(), spiffeId.toString(), agent,
				dnsNames, ttl, caller, this.clock.instant()));
		this.audit.record(caller, "entry.created", entry.getId(),
				"spiffeId=" + spiffeId + " agent=" + agent + " dnsNames=" + dnsNames + " ttl=" + ttl);
		return ResponseEntity.status(HttpStatus.CREATED).body(EntryView.of(entry));
	}

	/**
	 * Refuses at registration what issuance would refuse later (the same rules), so a bad
	 * entry is an error now and not a renewal loop on a host.
	 */
	private void checkPolicy(SpiffeId spiffeId, Duration ttl) {
		TrustDomainRule.checkWorkloadId(spiffeId, this.properties.trustDomain());
		TtlRule.checkRange(ttl, this.properties.issuance().minTtl(), this.properties.issuance().maxTtl());
	}

	@GetMapping
	@Transactional(readOnly = true)
	EntryList list(@RequestParam(required = false) String agent) {
		List<EntryEntity> found = (agent != null) ? this.entries.findByAgentNameOrderBySpiffeIdAsc(agent)
				: this.entries.findAllByOrderByAgentNameAscSpiffeIdAsc();
		return new EntryList(found.stream().map(EntryView::of).toList());
	}

	@GetMapping("/{id}")
	@Transactional(readOnly = true)
	EntryView get(@PathVariable String id) {
		return this.entries.findById(id).map(EntryView::of).orElseThrow(() -> notFound(id));
	}

	@DeleteMapping("/{id}")
	@Transactional
	ResponseEntity<Void> delete(@PathVariable String id, HttpServletRequest http) {
		EntryEntity entry = this.entries.findById(id).orElseThrow(() -> notFound(id));
		this.entries.delete(entry);
		this.audit.record(ClientCertificates.caller(http), "entry.deleted", id,
				"spiffeId=" + entry.getSpiffeId() + " agent=" + entry.getAgentName());
		return ResponseEntity.noContent().build();
	}

	private static ApiException notFound(String id) {
		return new ApiException(ProblemType.NOT_FOUND, "No registration entry with id " + id);
	}

	record EntryRequest(String spiffeId, String agent, List<String> dnsNames, String ttl) {
	}

	record EntryList(List<EntryView> entries) {
	}

}
