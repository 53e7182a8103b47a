package io.tether.server.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.SecretKey;

import io.tether.pki.KeyEncryptionKey;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * Signed checkpoints of the audit chain in {@code audit_checkpoint}: a sequence number,
 * the hash of the event at it and a time, authenticated with HMAC-SHA-256 under a key
 * derived from the KEK with the label {@value #LABEL}. The database never holds the KEK,
 * so whoever can write to it but does not hold the KEK cannot make a checkpoint that
 * verifies; the label keeps this key apart from every other use of the KEK.
 */
@Component
class AuditCheckpoints {

	static final String LABEL = "tether audit checkpoint v1";

	private static final String COLUMNS = "id, kind, chain_seq, chain_hash, created_at, mac";

	/** Why a checkpoint was written. */
	enum Kind {

		/** By the sealer: the chain's head. */
		SEAL,

		/**
		 * By retention: the chain was deleted up to here, so it now starts right after.
		 */
		PURGE

	}

	/**
	 * One row of {@code audit_checkpoint}.
	 */
	record Checkpoint(long id, String kind, long sequence, String hash, Instant createdAt, String mac) {

		boolean is(Kind kind) {
			return kind.name().equals(this.kind);
		}

	}

	private final JdbcTemplate jdbc;

	private final SecretKey key;

	AuditCheckpoints(JdbcTemplate jdbc, KeyEncryptionKey kek) {
		this.jdbc = jdbc;
		this.key = kek.derive(LABEL);
	}

	/**
	 * Writes a checkpoint in the caller's transaction, if any.
	 * @return its id
	 */
	long write(Kind kind, long sequence, String hash, Instant now) {
		// the database keeps microseconds; the MAC must cover what it keeps
		Instant createdAt = now.truncatedTo(ChronoUnit.MICROS);
		GeneratedKeyHolder id = new GeneratedKeyHolder();
		this.jdbc.update((connection) -> {
			PreparedStatement insert = connection.prepareStatement(
					"insert into audit_checkpoint (kind, chain_seq, chain_hash, created_at, mac) values (?, ?, ?, ?, ?)",
					new String[] { "id" });
			insert.setString(1, kind.name());
			insert.setLong(2, sequence);
			insert.setString(3, hash);
			insert.setTimestamp(4, Timestamp.from(createdAt));
			insert.setString(5, mac(kind.name(), sequence, hash, createdAt));
			return insert;
		}, id);
		return id.getKeyAs(Long.class);
	}

	/** Whether a checkpoint's MAC is the one this server's KEK gives. */
	boolean authentic(Checkpoint checkpoint) {
		String expected = mac(checkpoint.kind(), checkpoint.sequence(), checkpoint.hash(), checkpoint.createdAt());
		return checkpoint.mac() != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
				checkpoint.mac().getBytes(StandardCharsets.US_ASCII));
	}

	/** The checkpoint at the highest sequence (the newest of those), or {@code null}. */
	Checkpoint latest() {
		return first("select " + COLUMNS + " from audit_checkpoint order by chain_seq desc, id desc"
				+ " fetch first 1 rows only");
	}

	/** The purge checkpoint at the highest sequence, or {@code null}. */
	Checkpoint latestPurge() {
		return first("select " + COLUMNS + " from audit_checkpoint where kind = 'PURGE'"
				+ " order by chain_seq desc, id desc fetch first 1 rows only");
	}

	/** The checkpoints from one sequence to another, both included, by sequence. */
	List<Checkpoint> between(long from, long to) {
		return this.jdbc.query("select " + COLUMNS + " from audit_checkpoint where chain_seq between ? and ?"
				+ " order by chain_seq, id", AuditCheckpoints::checkpoint, from, to);
	}

	/** The first checkpoints beyond a sequence, by sequence. */
	List<Checkpoint> after(long sequence, int limit) {
		return this.jdbc.query(
				"select " + COLUMNS + " from audit_checkpoint where chain_seq > ?"
						+ " order by chain_seq, id fetch first " + limit + " rows only",
				AuditCheckpoints::checkpoint, sequence);
	}

	/**
	 * Deletes the checkpoints that a purge up to a sequence left pointing at nothing,
	 * except the newest purge checkpoint, which the chain now starts from.
	 */
	void deleteBelow(long sequence, long keepId) {
		this.jdbc.update("delete from audit_checkpoint where chain_seq <= ? and id <> ?", sequence, keepId);
	}

	private Checkpoint first(String sql) {
		List<Checkpoint> found = this.jdbc.query(sql, AuditCheckpoints::checkpoint);
		return found.isEmpty() ? null : found.get(0);
	}

	private static Checkpoint checkpoint(ResultSet row, int index) throws SQLException {
		return new Checkpoint(row.getLong(1), row.getString(2), row.getLong(3), row.getString(4),
				row.getObject(5, OffsetDateTime.class).toInstant(), row.getString(6));
	}

	private String mac(String kind, long sequence, String hash, Instant createdAt) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			field(out, LABEL);
			field(out, kind);
			out.writeLong(sequence);
			field(out, hash);
			out.writeLong(createdAt.getEpochSecond());
			out.writeInt(createdAt.getNano());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		try {
			Mac hmac = Mac.getInstance("HmacSHA256");
			hmac.init(this.key);
			return HexFormat.of().formatHex(hmac.doFinal(bytes.toByteArray()));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot compute a checkpoint's HMAC", ex);
		}
	}

	private static void field(DataOutputStream out, String value) throws IOException {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		out.writeInt(bytes.length);
		out.write(bytes);
	}

}
