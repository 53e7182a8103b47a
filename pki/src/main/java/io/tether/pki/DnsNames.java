package io.tether.pki;

import java.util.Locale;

/**
 * Validation of DNS names for subject alternative names: RFC 1123 host names of at most
 * 253 characters, labels of 1 to 63 letters, digits and hyphens that neither start nor
 * end with a hyphen, and not an IP address written as a name. Wildcards are refused: a
 * workload certificate names the hosts it serves.
 * <p>
 * Stateless and thread-safe.
 */
public final class DnsNames {

	/** The longest DNS name, in characters. */
	public static final int MAX_LENGTH = 253;

	private DnsNames() {
	}

	/**
	 * Validates a DNS name and returns it in lower case, the form certificates carry.
	 * @param name the name
	 * @return the name in lower case
	 * @throws IllegalArgumentException naming the rule the name breaks
	 */
	public static String normalize(String name) {
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException("DNS name must not be empty");
		}
		if (name.length() > MAX_LENGTH) {
			throw new IllegalArgumentException("DNS name is longer than " + MAX_LENGTH + " characters");
		}
		for (int i = 0; i < name.length(); i++) {
			// checked before lower-casing: toLowerCase maps some non-ASCII letters to
			// ASCII
			char c = name.charAt(i);
			if (c > 0x7f) {
				throw new IllegalArgumentException(
						"DNS names may hold only letters, digits, '-' and '.', all ASCII (IDNs in their xn-- form): '"
								+ name + "'");
			}
		}
		String lower = name.toLowerCase(Locale.ROOT);
		if (lower.startsWith("*.")) {
			throw new IllegalArgumentException("Wildcard DNS names are not issued: '" + name + "'");
		}
		String[] labels = lower.split("\\.", -1);
		for (String label : labels) {
			if (label.isEmpty() || label.length() > 63) {
				throw new IllegalArgumentException(
						"DNS name labels must be 1 to 63 characters (no empty label, no trailing dot): '" + name + "'");
			}
			if (label.startsWith("-") || label.endsWith("-")) {
				throw new IllegalArgumentException("DNS name labels must not start or end with '-': '" + name + "'");
			}
			for (int i = 0; i < label.length(); i++) {
				char c = label.charAt(i);
				if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
					throw new IllegalArgumentException(
							"DNS names may hold only letters, digits, '-' and '.': '" + name + "'");
				}
			}
		}
		if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
			throw new IllegalArgumentException("'" + name + "' is an IP address, not a DNS name");
		}
		return lower;
	}

}
