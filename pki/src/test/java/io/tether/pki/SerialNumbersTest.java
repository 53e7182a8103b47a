package io.tether.pki;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link SerialNumbers}.
 */
class SerialNumbersTest {

	private final SecureRandom random = new SecureRandom();

	@Test
	void nextIsPositiveAndAtMost152Bits() {
		for (int i = 0; i < 1000; i++) {
			BigInteger serial = SerialNumbers.next(this.random);
			assertThat(serial.signum()).isPositive();
			assertThat(serial.bitLength()).isLessThanOrEqualTo(152);
			assertThat(serial.toByteArray()).hasSizeLessThanOrEqualTo(20);
		}
	}

	@Test
	void nextDrawsAll152Bits() {
		int longest = 0;
		Set<BigInteger> serials = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			BigInteger serial = SerialNumbers.next(this.random);
			longest = Math.max(longest, serial.bitLength());
			serials.add(serial);
		}
		// the top bit is set in half of the draws
		assertThat(longest).isEqualTo(SerialNumbers.RANDOM_BITS);
		assertThat(serials).hasSize(1000);
	}

	@Test
	void nextWhenRandomDrawsZeroDrawsAgain() {
		ZeroFirstRandom random = new ZeroFirstRandom();
		BigInteger serial = SerialNumbers.next(random);
		assertThat(serial.signum()).isPositive();
		assertThat(random.calls).isEqualTo(2);
	}

	@Test
	void toHexIsLowerCaseWithoutLeadingZeros() {
		assertThat(SerialNumbers.toHex(new BigInteger("00ABCDEF01", 16))).isEqualTo("abcdef01");
	}

	@Test
	void fromHexOfToHexReturnsSameSerial() {
		for (int i = 0; i < 100; i++) {
			BigInteger serial = SerialNumbers.next(this.random);
			assertThat(SerialNumbers.fromHex(SerialNumbers.toHex(serial))).isEqualTo(serial);
		}
	}

	@Test
	void fromHexAcceptsColonsAndUpperCase() {
		assertThat(SerialNumbers.fromHex("0A:BC:DE:F0")).isEqualTo(new BigInteger("abcdef0", 16));
		assertThat(SerialNumbers.fromHex("ABCDEF")).isEqualTo(new BigInteger("abcdef", 16));
	}

	@Test
	void fromHexAccepts40Digits() {
		assertThat(SerialNumbers.fromHex("f".repeat(40))).isEqualTo(BigInteger.TWO.pow(160).subtract(BigInteger.ONE));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", ":", "::" })
	void fromHexWhenEmptyIsRejected(String hex) {
		assertThatIllegalArgumentException().isThrownBy(() -> SerialNumbers.fromHex(hex))
			.withMessageContaining("must be 1 to 40 hex digits");
	}

	@ParameterizedTest
	@ValueSource(strings = { "xyz", "0x1f", "12 34", "-1", "+1", "ab.cd", "١٢" })
	void fromHexWhenNotHexIsRejected(String hex) {
		assertThatIllegalArgumentException().isThrownBy(() -> SerialNumbers.fromHex(hex))
			.withMessageContaining("hex digits")
			.withMessageContaining("'" + hex + "'");
	}

	@Test
	void fromHexWhenLongerThan40DigitsIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> SerialNumbers.fromHex("1".repeat(41)))
			.withMessageContaining("must be 1 to 40 hex digits");
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "00", "00:00:00" })
	void fromHexWhenZeroIsRejected(String hex) {
		assertThatIllegalArgumentException().isThrownBy(() -> SerialNumbers.fromHex(hex))
			.withMessageContaining("must be positive");
	}

	/**
	 * Draws zeros first, then ones.
	 */
	private static final class ZeroFirstRandom extends SecureRandom {

		private static final long serialVersionUID = 1L;

		private int calls;

		@Override
		public void nextBytes(byte[] bytes) {
			Arrays.fill(bytes, (this.calls == 0) ? (byte) 0 : (byte) 0xff);
			this.calls++;
		}

	}

}
