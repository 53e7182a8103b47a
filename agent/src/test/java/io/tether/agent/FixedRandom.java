package io.tether.agent;

import java.util.random.RandomGenerator;

/**
 * A "random" generator that always draws the same value, so that jitter is known.
 */
final class FixedRandom implements RandomGenerator {

	private final double value;

	FixedRandom(double value) {
		this.value = value;
	}

	@Override
	public long nextLong() {
		return 0;
	}

	@Override
	public double nextDouble() {
		return this.value;
	}

}
