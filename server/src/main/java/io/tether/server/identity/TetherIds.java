package io.tether.server.identity;

import io.tether.pki.SpiffeId;

/**
 * The SPIFFE IDs Tether keeps for itself, in one place: its own identities under
 * {@code /tether/} (the admin, the server) and enrolled agents under {@code /agent/}. No
 * workload may be registered or issued under either.
 */
public final class TetherIds {

	/** Tether's own identities: the admin and the server. */
	public static final String OWN_PREFIX = "/tether/";

	/** Agent identities, which come from enrollment only. */
	public static final String AGENT_PREFIX = "/agent/";

	private TetherIds() {
	}

	public static SpiffeId admin(String trustDomain) {
		return new SpiffeId(trustDomain, OWN_PREFIX + "admin");
	}

	/** Operators' identities, which come from operator enrollment only. */
	public static final String OPERATOR_PREFIX = OWN_PREFIX + "operator/";

	/**
	 * The identity of a named operator.
	 */
	public static SpiffeId operator(String trustDomain, String name) {
		return new SpiffeId(trustDomain, OPERATOR_PREFIX + name);
	}

	/**
	 * The operator an ID names.
	 * @return the operator's name, or {@code null} when the ID is no operator's of this
	 * trust domain
	 */
	public static String operatorName(SpiffeId id, String trustDomain) {
		if (!id.isMemberOf(trustDomain) || !id.path().startsWith(OPERATOR_PREFIX)) {
			return null;
		}
		String name = id.path().substring(OPERATOR_PREFIX.length());
		return (name.isEmpty() || name.contains("/")) ? null : name;
	}

	public static SpiffeId server(String trustDomain) {
		return new SpiffeId(trustDomain, OWN_PREFIX + "server");
	}

	/**
	 * Whether an ID is one of Tether's own (which the server replaces itself and the API
	 * does not revoke).
	 */
	public static boolean isOwn(SpiffeId id) {
		return id.path().startsWith(OWN_PREFIX) || id.path().equals("/tether");
	}

	/**
	 * Whether an ID is reserved: Tether's own, or an agent's.
	 */
	public static boolean isReserved(SpiffeId id) {
		return isOwn(id) || id.path().startsWith(AGENT_PREFIX) || id.path().equals("/agent");
	}

}
