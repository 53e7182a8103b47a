package io.tether.cli;

import java.time.Duration;
import java.time.Instant;

/**
 * Time left or past, the way people read it: {@code in 23m}, {@code in 3d4h},
 * {@code expired 5m ago}.
 */
final class Times {

	private Times() {
	}

	static String until(Instant instant, Instant now) {
		Duration left = Duration.between(now, instant);
		return left.isNegative() ? "expired " + compact(left.negated()) + " ago" : "in " + compact(left);
	}

	/**
	 * The two largest units of a duration: {@code 3d4h}, {@code 23m10s}, {@code 42s}.
	 */
	static String compact(Duration duration) {
		long seconds = duration.toSeconds();
		long[] amounts = { seconds / 86400, seconds % 86400 / 3600, seconds % 3600 / 60, seconds % 60 };
		String[] units = { "d", "h", "m", "s" };
		StringBuilder text = new StringBuilder();
		int shown = 0;
		for (int i = 0; i < amounts.length && shown < 2; i++) {
			if (amounts[i] > 0 || (shown > 0)) {
				if (amounts[i] > 0) {
					text.append(amounts[i]).append(units[i]);
				}
				shown++;
			}
		}
		return text.isEmpty() ? "0s" : text.toString();
	}

}
