package io.tether.server.audit;

import java.time.Instant;

/**
 * The chain's hash for integration tests outside this package, which rewrite the chain as
 * an attacker who knows the formula (but not the KEK) would.
 */
public final class AuditHashes {

	private AuditHashes() {
	}

	public static String hash(long sequence, String previousHash, Instant occurredAt, String actor, String action,
			String subject, String detail) {
		return AuditChain.hash(sequence, previousHash, occurredAt, actor, action, subject, detail);
	}

}
