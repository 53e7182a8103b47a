package io.tether.server.identity;

import java.util.regex.Pattern;

import io.tether.api.ProblemType;
import io.tether.pki.SpiffeId;
import io.tether.server.web.ApiException;

/**
 * Agent names: 1 to 63 of {@code a-z 0-9 . - _}, starting and ending with a letter or
 * digit, so that {@code spiffe://
 *
<td>/agent/<name>} is always a valid SPIFFE ID.
 */
public final class AgentNames {

	private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?");

	private static final String PREFIX = TetherIds.AGENT_PREFIX;

	private AgentNames() {
	}

	public static String validate(String name) {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new ApiException(ProblemType.INVALID_AGENT_NAME, "Agent name '" + name
					+ "' must be 1 to 63 of a-z, 0-9, '.', '-', '_', starting and ending with a letter or digit");
		}
		return name;
	}

	public static SpiffeId spiffeId(String trustDomain, String name) {
		return new SpiffeId(trustDomain, PREFIX + validate(name));
	}

	/**
	 * The agent name in an agent SPIFFE ID of the trust domain, or {@code null} if the ID
	 * is not an agent's.
	 */
	public static String nameOf(SpiffeId id, String trustDomain) {
		if (!id.isMemberOf(trustDomain) || !id.path().startsWith(PREFIX)) {
			return null;
		}
		String name = id.path().substring(PREFIX.length());
		return NAME.matcher(name).matches() ? name : null;
	}

}
