package io.tether.server.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * One {@code audit_event} row with its chain columns, as the sealer, the verifier and the
 * export read it (plain JDBC: they page through tables of millions of rows).
 */
record ChainRow(long id, Long sequence, String previousHash, String hash, Instant occurredAt, String actor,
		String action, String subject, String detail, Instant sealedAt) {

	static final String COLUMNS = "id, chain_seq, prev_hash, chain_hash, occurred_at, actor, action, subject, detail,"
			+ " sealed_at";

	static ChainRow read(ResultSet row, int index) throws SQLException {
		long sequence = row.getLong(2);
		Long boxed = row.wasNull() ? null : sequence;
		return new ChainRow(row.getLong(1), boxed, row.getString(3), row.getString(4), instant(row, 5),
				row.getString(6), row.getString(7), row.getString(8), row.getString(9), instant(row, 10));
	}

	private static Instant instant(ResultSet row, int column) throws SQLException {
		OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	/** This event's hash as it should be, at a sequence and after a hash. */
	String computeHash(long sequence, String previousHash) {
		return AuditChain.hash(sequence, previousHash, this.occurredAt, this.actor, this.action, this.subject,
				this.detail);
	}

}
