package io.tether.server.status;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tether.server.TetherProperties;
import io.tether.server.admin.AdminOnly;
import io.tether.server.agent.AgentEntity;
import io.tether.server.agent.AgentRepository;
import io.tether.server.authority.Authorities;
import io.tether.server.certificate.CertificateRecord;
import io.tether.server.certificate.CertificateRepository;
import io.tether.server.registration.EntryRepository;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/status} (admin): what an operator checks first. The CA hierarchy, how
 * many agents, entries and valid certificates there are, and which certificate expires
 * next.
 */
@RestController
@AdminOnly
class StatusController {

	private final Authorities authorities;

	private final AgentRepository agents;

	private final EntryRepository entries;

	private final CertificateRepository certificates;

	private final TetherProperties properties;

	private final Clock clock;

	StatusController(Authorities authorities, AgentRepository agents, EntryRepository entries,
			CertificateRepository certificates, TetherProperties properties, Clock clock) {
		this.authorities = authorities;
		this.agents = agents;
		this.entries = entries;
		this.certificates = certificates;
		this.properties = properties;
		this.clock = clock;
	}

	@GetMapping("/v1/status")
	@Transactional(readOnly = true)
	Status status() {
		Instant now = this.clock.instant();
		List<AuthoritySummary> hierarchy = this.authorities.all()
			.stream()
			.map((authority) -> new AuthoritySummary(authority.kind(), authority.subject(), authority.notAfter(),
					authority.sha256()))
			.toList();
		Specification<CertificateRecord> valid = CertificateRepository.hasStatus(CertificateRecord.Status.ISSUED)
			.and(CertificateRepository.expiresAfter(now));
		Expiry soonest = this.certificates.findAll(valid, PageRequest.of(0, 1, Sort.by("notAfter")))
			.stream()
			.map((record) -> new Expiry(record.getSerialNumber(), record.getSpiffeId(), record.getNotAfter()))
			.findFirst()
			.orElse(null);
		return new Status(this.properties.trustDomain(), now, hierarchy,
				new Counts(this.agents.countByStatus(AgentEntity.Status.ACTIVE), this.agents.count(),
						this.entries.count(), this.certificates.count(valid)),
				soonest);
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Status(String trustDomain, Instant serverTime, List<AuthoritySummary> authorities, Counts counts,
			Expiry soonestExpiry) {
	}

	record AuthoritySummary(String kind, String subject, Instant notAfter, String sha256) {
	}

	record Counts(long activeAgents, long agents, long entries, long validCertificates) {
	}

	record Expiry(String serialNumber, String spiffeId, Instant notAfter) {
	}

}
