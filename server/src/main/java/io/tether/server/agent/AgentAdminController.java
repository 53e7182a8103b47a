package io.tether.server.agent;

import java.time.Instant;
import java.util.List;

import io.tether.server.admin.AdminOnly;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/agents} and {@code GET /v1/agents/{name}} (admin).
 */
@RestController
@RequestMapping("/v1/agents")
@AdminOnly
class AgentAdminController {

	private final AgentService agents;

	AgentAdminController(AgentService agents) {
		this.agents = agents;
	}

	@GetMapping
	AgentList list() {
		return new AgentList(this.agents.list().stream().map(AgentView::of).toList());
	}

	@GetMapping("/{name}")
	AgentView get(@PathVariable String name) {
		return AgentView.of(this.agents.get(name));
	}

	record AgentList(List<AgentView> agents) {
	}

	record AgentView(String name, String spiffeId, String status, String certificateSerial, Instant certificateNotAfter,
			Instant enrolledAt, Instant lastSeenAt) {

		static AgentView of(AgentEntity agent) {
			return new AgentView(agent.getName(), agent.getSpiffeId(), agent.getStatus().name().toLowerCase(),
					agent.getCertificateSerial(), agent.getCertificateNotAfter(), agent.getEnrolledAt(),
					agent.getLastSeenAt());
		}

	}

}
