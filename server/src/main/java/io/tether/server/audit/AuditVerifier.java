package io.tether.server.audit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tether.api.AuditVerification;
import io.tether.api.AuditVerification.Problem;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Walks the audit chain in sequence order, a page at a time (the log can hold millions of
 * events), and reports the first problem: an event whose fields no longer give its hash
 * (altered), one that does not link to the event before it or that lies unsealed among
 * sealed ones (inserted), a gap in the sequence that no retention purge accounts for
 * (deleted), and a checkpoint whose MAC does not verify or whose hash is not the chain's.
 * It reads without a snapshot, so it allows for what the sealer and retention do
 * meanwhile: events sealed after its last page, a prefix purged under it.
 */
@Component
class AuditVerifier {

	private static final int PAGE = 1000;

	private final JdbcTemplate jdbc;

	private final AuditCheckpoints checkpoints;

	private final AuditSealer sealer;

	AuditVerifier(JdbcTemplate jdbc, AuditCheckpoints checkpoints, AuditSealer sealer) {
		this.jdbc = jdbc;
		this.checkpoints = checkpoints;
		this.sealer = sealer;
	}

	AuditVerification verify() {
		Walk walk = new Walk();
		AuditCheckpoints.Checkpoint purge = this.checkpoints.latestPurge();
		if (purge != null) {
			if (!this.checkpoints.authentic(purge)) {
				return walk.failed(invalid(purge));
			}
			walk.purgedThrough = purge.sequence();
			walk.expected = purge.sequence() + 1;
			walk.previousHash = purge.hash();
			walk.lastCheckpoint = purge;
		}
		long after = Long.MIN_VALUE;
		while (true) {
			List<ChainRow> rows = this.jdbc.query(
					"select " + ChainRow.COLUMNS + " from audit_event"
							+ " where chain_seq > ? order by chain_seq fetch first " + PAGE + " rows only",
					ChainRow::read, after);
			if (rows.isEmpty()) {
				break;
			}
			Problem problem = walk(walk, rows);
			Map<Long, String> hashes = new HashMap<>();
			for (ChainRow row : rows) {
				hashes.put(row.sequence(), row.hash());
			}
			long from = rows.get(0).sequence();
			long to = rows.get(rows.size() - 1).sequence();
			for (AuditCheckpoints.Checkpoint checkpoint : this.checkpoints.between(from, to)) {
				if (problem != null && checkpoint.sequence() >= problem.sequence()) {
					break;
				}
				String hash = hashes.get(checkpoint.sequence());
				Problem wrong = check(checkpoint, hash);
				if (wrong != null) {
					return walk.failed(wrong);
				}
				if (hash != null) {
					walk.lastCheckpoint = checkpoint;
				}
			}
			if (problem != null) {
				return walk.failed(problem);
			}
			after = to;
		}
		Problem tail = tail(walk);
		if (tail != null) {
			return walk.failed(tail);
		}
		Problem planted = unsealed(walk);
		return (planted != null) ? walk.failed(planted) : walk.ok();
	}

	/** Checks a page of events in sequence order; the first problem, or null. */
	private Problem walk(Walk walk, List<ChainRow> rows) {
		for (ChainRow row : rows) {
			long sequence = row.sequence();
			if (walk.first == null && sequence < walk.expected) {
				// left below the last purge point: checked against the purge checkpoint
				// when the walk reaches it
				walk.expected = sequence;
				walk.previousHash = row.previousHash();
			}
			if (sequence > walk.expected && !purgedMeanwhile(walk, sequence)) {
				long last = sequence - 1;
				return new Problem("DELETED", walk.expected, null,
						((walk.expected == last) ? "The event with sequence " + last + " is"
								: "The events with sequences " + walk.expected + " to " + last + " are")
								+ " missing from the chain, and no retention purge accounts for them");
			}
			if (sequence < walk.expected) {
				return new Problem("INSERTED", sequence, row.id(), "Sequence " + sequence + " is held twice: event "
						+ row.id() + " (" + row.action() + ") was inserted with a copied sequence number");
			}
			if (!walk.previousHash.equals(row.previousHash())) {
				return new Problem("INSERTED", sequence, row.id(),
						"Event " + row.id() + " at sequence " + sequence + " (" + row.action()
								+ ") does not link to the event before it: it was inserted or replaced, its previous"
								+ " hash is " + row.previousHash() + " where the chain has " + walk.previousHash);
			}
			if (!row.computeHash(sequence, row.previousHash()).equals(row.hash())) {
				return new Problem("ALTERED", sequence, row.id(),
						"Event " + row.id() + " at sequence " + sequence + " (" + row.action() + " by " + row.actor()
								+ " at " + row.occurredAt()
								+ ") was altered after it was sealed: its fields no longer give its hash");
			}
			if (walk.first == null) {
				walk.first = sequence;
			}
			walk.last = sequence;
			walk.verified++;
			walk.expected = sequence + 1;
			walk.previousHash = row.hash();
		}
		return null;
	}

	/**
	 * Whether retention purged up to just before this event while the walk ran; the walk
	 * then goes on from its checkpoint.
	 */
	private boolean purgedMeanwhile(Walk walk, long sequence) {
		AuditCheckpoints.Checkpoint purge = this.checkpoints.latestPurge();
		if (purge == null || purge.sequence() != sequence - 1 || purge.sequence() < walk.expected - 1
				|| !this.checkpoints.authentic(purge)) {
			return false;
		}
		walk.purgedThrough = purge.sequence();
		walk.previousHash = purge.hash();
		walk.expected = sequence;
		return true;
	}

	private Problem check(AuditCheckpoints.Checkpoint checkpoint, String hash) {
		if (!this.checkpoints.authentic(checkpoint)) {
			return invalid(checkpoint);
		}
		if (hash != null && !hash.equals(checkpoint.hash())) {
			return new Problem("CHECKPOINT_MISMATCH", checkpoint.sequence(), null,
					"The " + checkpoint.kind() + " checkpoint of " + checkpoint.createdAt() + " vouches for hash "
							+ checkpoint.hash() + " at sequence " + checkpoint.sequence() + ", but the chain has "
							+ hash + " there: the events up to it were rewritten");
		}
		return null;
	}

	private static Problem invalid(AuditCheckpoints.Checkpoint checkpoint) {
		return new Problem("CHECKPOINT_INVALID", checkpoint.sequence(), null,
				"Checkpoint " + checkpoint.id() + " (" + checkpoint.kind() + " at sequence " + checkpoint.sequence()
						+ ", " + checkpoint.createdAt() + ") does not verify with this server's key: it was forged"
						+ " or altered, or written under another KEK");
	}

	/**
	 * Checkpoints beyond the chain's last event: the events they vouch for were deleted,
	 * unless they were sealed after the walk passed.
	 */
	private Problem tail(Walk walk) {
		long end = (walk.last != null) ? walk.last : walk.expected - 1;
		for (AuditCheckpoints.Checkpoint checkpoint : this.checkpoints.after(end, PAGE)) {
			if (!this.checkpoints.authentic(checkpoint)) {
				return invalid(checkpoint);
			}
			List<String> now = this.jdbc.queryForList("select chain_hash from audit_event where chain_seq = ?",
					String.class, checkpoint.sequence());
			if (now.isEmpty()) {
				return new Problem("DELETED", end + 1, null,
						"The chain ends at sequence " + end + " but the checkpoint of " + checkpoint.createdAt()
								+ " vouches for events up to " + checkpoint.sequence() + ": the events from "
								+ (end + 1) + " on were deleted");
			}
			break;
		}
		return null;
	}

	/** Counts the unsealed events and finds any planted among sealed ones. */
	private Problem unsealed(Walk walk) {
		Long highestSealedId = this.sealer.highestSealedId();
		long after = Long.MIN_VALUE;
		while (true) {
			List<ChainRow> rows = this.jdbc.query(
					"select " + ChainRow.COLUMNS + " from audit_event"
							+ " where chain_seq is null and id > ? order by id fetch first " + PAGE + " rows only",
					ChainRow::read, after);
			for (ChainRow row : rows) {
				if (highestSealedId != null && row.id() < highestSealedId && this.sealer.planted(row)) {
					return new Problem("INSERTED", null, row.id(), "Event " + row.id() + " (" + row.action() + " by "
							+ row.actor() + " at " + row.occurredAt()
							+ ") is not in the chain, yet events written after it were"
							+ " sealed long after it occurred: it was inserted into the sealed part of the log");
				}
				walk.unsealed++;
			}
			if (rows.size() < PAGE) {
				return null;
			}
			after = rows.get(rows.size() - 1).id();
		}
	}

	/** Where the walk is. */
	private static final class Walk {

		long expected = 1;

		String previousHash = AuditChain.GENESIS;

		Long first;

		Long last;

		long verified;

		Long purgedThrough;

		long unsealed;

		AuditCheckpoints.Checkpoint lastCheckpoint;

		AuditVerification ok() {
			return result(null);
		}

		AuditVerification failed(Problem problem) {
			return result(problem);
		}

		private AuditVerification result(Problem problem) {
			AuditVerification.Checkpoint checkpoint = (this.lastCheckpoint != null)
					? new AuditVerification.Checkpoint(this.lastCheckpoint.kind(), this.lastCheckpoint.sequence(),
							this.lastCheckpoint.hash(), this.lastCheckpoint.createdAt())
					: null;
			return new AuditVerification(problem == null, this.first, this.last, this.verified, this.purgedThrough,
					this.unsealed, checkpoint, problem);
		}

	}

}
