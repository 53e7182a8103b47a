package io.tether.server.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The hash chain's one formula: {@code hash = SHA-256(encoding)}, the encoding of an
 * event being a version label, its sequence number, the previous event's hash and its
 * fields, each field length-prefixed (4 bytes, big-endian) and a null field told apart
 * from an empty one, so that no two different events encode alike ("ab" + "c" and "a" +
 * "bc" do not). Hashes are lowercase hex; the first event's previous hash is
 * {@link #GENESIS}.
 */
final class AuditChain {

	/** The previous hash of the first event ever sealed: 32 zero bytes. */
	static final String GENESIS = "0".repeat(64);

	private static final byte[] VERSION = "tether-audit-event-v1".getBytes(StandardCharsets.US_ASCII);

	private AuditChain() {
	}

	/**
	 * One event's hash.
	 * @param sequence its place in the chain, from 1
	 * @param previousHash the hash of the event before it, or {@link #GENESIS}
	 * @param occurredAt when it occurred, as the database stores it
	 * @param actor who
	 * @param action what
	 * @param subject on what, or {@code null}
	 * @param detail the rest, or {@code null}
	 * @return 64 lowercase hex digits
	 */
	static String hash(long sequence, String previousHash, Instant occurredAt, String actor, String action,
			String subject, String detail) {
		return hex(sha256(encode(sequence, previousHash, occurredAt, actor, action, subject, detail)));
	}

	static byte[] encode(long sequence, String previousHash, Instant occurredAt, String actor, String action,
			String subject, String detail) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			field(out, VERSION);
			out.writeLong(sequence);
			field(out, HexFormat.of().parseHex(previousHash));
			out.writeLong(occurredAt.getEpochSecond());
			out.writeInt(occurredAt.getNano());
			field(out, actor);
			field(out, action);
			field(out, subject);
			field(out, detail);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	private static void field(DataOutputStream out, String value) throws IOException {
		if (value == null) {
			out.writeByte(0);
			return;
		}
		out.writeByte(1);
		field(out, value.getBytes(StandardCharsets.UTF_8));
	}

	private static void field(DataOutputStream out, byte[] value) throws IOException {
		out.writeInt(value.length);
		out.write(value);
	}

	static byte[] sha256(byte[] data) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(data);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String hex(byte[] bytes) {
		return HexFormat.of().formatHex(bytes);
	}

}
