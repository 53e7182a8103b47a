package io.tether.server.status;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.tether.api.Status.AuthoritySummary;
import io.tether.api.Status.Counts;
import io.tether.api.Status.Expiry;
import io.tether.api.Status.JobRun;
import io.tether.api.Status;
import io.tether.server.TetherProperties;
import io.tether.server.agent.AgentService;
import io.tether.server.authority.Authorities;
import io.tether.server.certificate.Certificates;
import io.tether.server.jobs.JobRuns;
import io.tether.server.registration.Entries;
import io.tether.server.security.RequiresRole;
import io.tether.server.security.Role;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/status} (role auditor): what an operator checks first. The CA hierarchy,
 * how many agents, entries and valid certificates there are, and which certificate
 * expires next.
 */
@RestController
@RequiresRole(Role.AUDITOR)
class StatusController {

	private final Authorities authorities;

	private final AgentService agents;

	private final Entries entries;

	private final Certificates certificates;

	private final JobRuns jobs;

	private final TetherProperties properties;

	private final Clock clock;

	StatusController(Authorities authorities, AgentService agents, Entries entries, Certificates certificates,
			JobRuns jobs, TetherProperties properties, Clock clock) {
		this.authorities = authorities;
		this.agents = agents;
		this.entries = entries;
		this.certificates = certificates;
		this.jobs = jobs;
		this.properties = properties;
		this.clock = clock;
	}

	/** The states shown: what relying parties trust now, not years of retired ones. */
	private static final Set<String> TRUSTED = Set.of("prepared", "active", "retiring");

	@GetMapping("/v1/status")
	Status status() {
		Instant now = this.clock.instant();
		List<AuthoritySummary> hierarchy = this.authorities.all()
			.stream()
			.filter((authority) -> TRUSTED.contains(authority.status()))
			.map((authority) -> new AuthoritySummary(authority.kind(), authority.status(), authority.subject(),
					authority.notAfter(), authority.sha256()))
			.toList();
		Expiry soonest = this.certificates.soonestExpiry(now)
			.map((expiry) -> new Expiry(expiry.serialNumber(), expiry.spiffeId(), expiry.notAfter()))
			.orElse(null);
		List<JobRun> jobs = this.jobs.all()
			.stream()
			.map((run) -> new JobRun(run.name(), run.replica(), run.runs(), run.startedAt(), run.finishedAt(),
					run.outcome().name().toLowerCase(Locale.ROOT), run.detail()))
			.toList();
		return new Status(this.properties.trustDomain(), now, hierarchy, new Counts(this.agents.activeCount(),
				this.agents.count(), this.entries.count(), this.certificates.validCount(now)), soonest, jobs);
	}

}
