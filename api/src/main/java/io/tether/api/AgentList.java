package io.tether.api;

import java.util.List;

/**
 * {@code GET /v1/agents}.
 *
 * @param agents the agents, by name
 */
public record AgentList(List<AgentView> agents) {
}
