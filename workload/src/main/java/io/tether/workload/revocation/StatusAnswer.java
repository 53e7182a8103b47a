package io.tether.workload.revocation;

import java.time.Instant;

/**
 * A verified status with the window the authority vouches for it.
 *
 * @param status the status
 * @param thisUpdate when the authority made the statement
 * @param nextUpdate until when it holds; {@code null} when the authority did not say
 * @param refreshBy when the source will have fresher news ({@code null}: no sooner than
 * the checker's max age); a CRL's answers are no fresher than the CRL they came from
 */
record StatusAnswer(RevocationStatus status, Instant thisUpdate, Instant nextUpdate, Instant refreshBy) {

	/**
	 * Whether the authority still vouches for this answer.
	 * @param now the current time
	 * @return {@code true} while {@code now} is before {@code nextUpdate}; {@code false}
	 * when there is no {@code nextUpdate}
	 */
	boolean validAt(Instant now) {
		return this.nextUpdate != null && now.isBefore(this.nextUpdate);
	}

}
