package io.tether.pki;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Certificate serial numbers as RFC 5280 and the CA/Browser Forum require: positive, at
 * most 20 octets encoded, and unpredictable. Tether draws 152 bits from a CSPRNG (at
 * least the 64 required, well above the 128 that keeps collisions out of reach), so the
 * DER encoding, with its sign octet, never exceeds 20 octets.
 * <p>
 * Thread-safe when the {@link SecureRandom} is (the JDK's are).
 */
public final class SerialNumbers {

	/** Random bits in every serial number. */
	public static final int RANDOM_BITS = 152;

	private SerialNumbers() {
	}

	/**
	 * Draws a new serial number.
	 * @param random a cryptographically strong random source
	 * @return a positive serial number of at most {@value #RANDOM_BITS} bits
	 */
	public static BigInteger next(SecureRandom random) {
		BigInteger serial;
		do {
			serial = new BigInteger(RANDOM_BITS, random);
		}
		while (serial.signum() == 0);
		return serial;
	}

	/**
	 * Formats a serial number the way Tether's API and CLI show it: lower-case hex, no
	 * separators, no leading zeros.
	 * @param serial the serial number
	 * @return the hex text
	 */
	public static String toHex(BigInteger serial) {
		return serial.toString(16);
	}

	/**
	 * Parses a serial number as shown by {@link #toHex(BigInteger)}; colons and upper
	 * case (as {@code openssl} prints) are accepted.
	 * @param hex the text
	 * @return the serial number
	 * @throws IllegalArgumentException if the text is not a positive hex number
	 */
	public static BigInteger fromHex(String hex) {
		if (hex == null) {
			throw new IllegalArgumentException("'hex' must not be null");
		}
		String digits = hex.replace(":", "");
		if (digits.isEmpty() || digits.length() > 40 || !digits.chars().allMatch(HexFormat::isHexDigit)) {
			throw new IllegalArgumentException("Serial number must be 1 to 40 hex digits: '" + hex + "'");
		}
		BigInteger serial = new BigInteger(digits, 16);
		if (serial.signum() <= 0) {
			throw new IllegalArgumentException("Serial number must be positive: '" + hex + "'");
		}
		return serial;
	}

}
