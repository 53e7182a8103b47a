package io.tether.api;

import java.time.Instant;

/**
 * {@code GET /v1/audit/verify}: whether the audit log's hash chain and its signed
 * checkpoints are intact, and if not the first problem found.
 *
 * @param ok whether everything verified
 * @param firstSequence the first sequence number verified, or {@code null} when the chain
 * holds no event
 * @param lastSequence the last sequence number verified, or {@code null}
 * @param verified how many events were verified
 * @param purgedThrough the sequence number up to which retention deleted the chain, or
 * {@code null} when it never did
 * @param unsealed how many events are not in the chain yet (written since the sealer's
 * last run); not a problem in themselves
 * @param lastCheckpoint the signed checkpoint at the highest sequence that verified, or
 * {@code null}
 * @param problem the first problem, or {@code null} when {@code ok}
 */
public record AuditVerification(boolean ok, Long firstSequence, Long lastSequence, long verified, Long purgedThrough,
		long unsealed, Checkpoint lastCheckpoint, Problem problem) {

	/**
	 * A checkpoint: the chain's head at a time, signed with a key derived from the
	 * server's KEK.
	 *
	 * @param kind {@code SEAL} (by the sealer) or {@code PURGE} (by retention: the chain
	 * was deleted up to here)
	 * @param sequence the sequence number of the event it vouches for
	 * @param hash that event's hash
	 * @param createdAt when it was written
	 */
	public record Checkpoint(String kind, long sequence, String hash, Instant createdAt) {
	}

	/**
	 * What is wrong.
	 *
	 * @param kind {@code ALTERED} (an event's fields no longer match its hash),
	 * {@code INSERTED} (an event that the chain does not vouch for lies among those it
	 * does), {@code DELETED} (events missing from the chain), {@code CHECKPOINT_INVALID}
	 * (a checkpoint whose signature does not verify), {@code CHECKPOINT_MISMATCH} (a
	 * checkpoint that does not match the chain)
	 * @param sequence the sequence number where it is, or {@code null} for an event
	 * outside the chain
	 * @param eventId the event's id, when one event is at fault
	 * @param message what was found, for a person
	 */
	public record Problem(String kind, Long sequence, Long eventId, String message) {
	}

}
