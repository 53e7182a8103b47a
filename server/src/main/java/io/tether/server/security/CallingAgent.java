package io.tether.server.security;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The agent an {@link AgentOnly} handler is serving, as its interceptor authenticated it.
 */
public final class CallingAgent {

	static final String ATTRIBUTE = CallingAgent.class.getName() + ".name";

	private CallingAgent() {
	}

	/**
	 * The authenticated agent's name.
	 * @param request the request being handled by an {@link AgentOnly} handler
	 * @return the agent name
	 * @throws IllegalStateException if no agent was authenticated on this request
	 */
	public static String name(HttpServletRequest request) {
		return find(request).orElseThrow(() -> new IllegalStateException("No authenticated agent on this request"));
	}

	/**
	 * The authenticated agent's name, if an agent was authenticated on this request.
	 * @param request any request
	 * @return the agent name, or empty when no {@link AgentOnly} handler serves it
	 */
	public static Optional<String> find(HttpServletRequest request) {
		return (request.getAttribute(ATTRIBUTE) instanceof String name) ? Optional.of(name) : Optional.empty();
	}

}
