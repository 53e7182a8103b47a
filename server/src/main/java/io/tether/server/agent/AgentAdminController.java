package io.tether.server.agent;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.tether.api.AgentList;
import io.tether.api.AgentView;
import io.tether.api.Eviction;
import io.tether.server.security.RequiresRole;
import io.tether.server.security.Role;
import io.tether.server.security.ClientCertificates;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/agents} and {@code GET /v1/agents/{name}} (role auditor), {@code POST
 * /v1/agents/{name}/evict} (role operator).
 */
@RestController
@RequestMapping("/v1/agents")
@RequiresRole(Role.OPERATOR)
class AgentAdminController {

	private final AgentService agents;

	AgentAdminController(AgentService agents) {
		this.agents = agents;
	}

	@RequiresRole(Role.AUDITOR)
	@GetMapping
	AgentList list() {
		return new AgentList(this.agents.list().stream().map(AgentAdminController::view).toList());
	}

	@RequiresRole(Role.AUDITOR)
	@GetMapping("/{name}")
	AgentView get(@PathVariable String name) {
		return view(this.agents.get(name));
	}

	@PostMapping("/{name}/evict")
	Eviction evict(@PathVariable String name, HttpServletRequest http) {
		int revoked = this.agents.evict(name, ClientCertificates.caller(http));
		return new Eviction(view(this.agents.get(name)), revoked);
	}

	private static AgentView view(AgentEntity agent) {
		return new AgentView(agent.getName(), agent.getSpiffeId(), agent.getStatus().name().toLowerCase(Locale.ROOT),
				agent.getCertificateSerial(), agent.getCertificateNotAfter(), agent.getEnrolledAt(),
				agent.getLastSeenAt());
	}

}
