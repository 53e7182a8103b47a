package io.tether.server.security;

import java.util.Locale;

/**
 * What an operator may do. Each role includes the ones below it: an auditor reads, an
 * operator also runs the fleet (entries, join tokens, issuance, revocation, agents), an
 * admin also manages operators, rotates the CA and renews the bootstrap admin.
 */
public enum Role {

	AUDITOR, OPERATOR, ADMIN;

	/**
	 * Whether this role may do what {@code required} may.
	 */
	public boolean includes(Role required) {
		return compareTo(required) >= 0;
	}

	/** The role's name on the wire: lowercase. */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * @param id a role's name on the wire
	 * @return the role, or {@code null} for no role of that name
	 */
	public static Role parse(String id) {
		for (Role role : values()) {
			if (role.id().equals(id)) {
				return role;
			}
		}
		return null;
	}

}
