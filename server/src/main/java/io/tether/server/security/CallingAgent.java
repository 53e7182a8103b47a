package io.tether.server.security;

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
		if (request.getAttribute(ATTRIBUTE) instanceof String name) {
			return name;
		}
		throw new IllegalStateException("No authenticated agent on this request");
	}

}
