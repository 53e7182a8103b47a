package io.tether.workload.binding;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server-provided DPoP nonces (RFC 9449 §9): a nonce names a time period and carries an
 * HMAC of it, so any instance holding the same secret recognises it without shared state.
 * A nonce is accepted during its own period and the next one, so it rotates every
 * {@code period} and stays valid for between one and two periods.
 * <p>
 * Thread-safe and immutable.
 */
public final class DpopNonces {

	private static final int TAG_BYTES = 16;

	private final SecretKeySpec secret;

	private final long periodMillis;

	private final Clock clock;

	/**
	 * Nonces that every instance with the same secret accepts.
	 * @param secret at least 32 bytes, shared by the instances behind one address
	 * @param period how often the nonce changes
	 * @param clock the time source
	 * @throws IllegalArgumentException if the secret is shorter than 32 bytes or the
	 * period not positive
	 */
	public DpopNonces(byte[] secret, Duration period, Clock clock) {
		Objects.requireNonNull(secret, "'secret' must not be null");
		if (secret.length < 32) {
			throw new IllegalArgumentException("'secret' must be at least 32 bytes");
		}
		Objects.requireNonNull(period, "'period' must not be null");
		if (period.isNegative() || period.isZero()) {
			throw new IllegalArgumentException("'period' must be positive");
		}
		this.secret = new SecretKeySpec(secret.clone(), "HmacSHA256");
		this.periodMillis = period.toMillis();
		this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
	}

	/**
	 * Nonces for a single instance: the secret is random, so another instance (or this
	 * one after a restart) does not accept them.
	 * @param period how often the nonce changes
	 * @param clock the time source
	 * @return the nonces
	 */
	public static DpopNonces random(Duration period, Clock clock) {
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		return new DpopNonces(secret, period, clock);
	}

	/**
	 * @return the nonce of the current period, for the {@code DPoP-Nonce} header
	 */
	public String current() {
		return encode(period());
	}

	/**
	 * @param nonce a proof's {@code nonce} claim
	 * @return whether it is the nonce of the current or the previous period
	 */
	public boolean isValid(String nonce) {
		if (nonce == null) {
			return false;
		}
		byte[] presented;
		try {
			presented = Base64.getUrlDecoder().decode(nonce);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		if (presented.length != Long.BYTES + TAG_BYTES) {
			return false;
		}
		long period = ByteBuffer.wrap(presented).getLong();
		long current = period();
		if (period != current && period != current - 1) {
			return false;
		}
		return MessageDigest.isEqual(Arrays.copyOfRange(presented, Long.BYTES, presented.length), tag(period));
	}

	private long period() {
		return Math.floorDiv(this.clock.millis(), this.periodMillis);
	}

	private String encode(long period) {
		ByteBuffer nonce = ByteBuffer.allocate(Long.BYTES + TAG_BYTES);
		nonce.putLong(period).put(tag(period));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(nonce.array());
	}

	private byte[] tag(long period) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.secret);
			return Arrays.copyOf(mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(period).array()), TAG_BYTES);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is unavailable", ex);
		}
	}

}
