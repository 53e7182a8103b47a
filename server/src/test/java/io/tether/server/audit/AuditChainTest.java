package io.tether.server.audit;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AuditChain}: the encoding leaves no two events alike, so no edit keeps
 * an event's hash.
 */
class AuditChainTest {

	private static final Instant AT = Instant.parse("2026-11-25T08:00:00.123456Z");

	private static final String PREVIOUS = "11".repeat(32);

	@Test
	void hashIsSha256OfTheLengthPrefixedEncoding() {
		// computed independently (Python): version, sequence, previous hash, seconds,
		// nanos, then
		// each field as a presence byte, a 4-byte length and UTF-8
		assertThat(AuditChain.hash(1, AuditChain.GENESIS, Instant.EPOCH, "a", "b", null, ""))
			.isEqualTo("d9cc3b4d32b11b4bf0f54146cb363e8ea0b1d984b455c641432cf14977dba5a8");
	}

	@Test
	void eventsDifferingOnlyInFieldBoundariesHashDifferently() {
		String hash = AuditChain.hash(7, PREVIOUS, AT, "admin", "entry.created", "ab", "c");
		assertThat(AuditChain.hash(7, PREVIOUS, AT, "admin", "entry.created", "a", "bc")).isNotEqualTo(hash);
		assertThat(AuditChain.hash(7, PREVIOUS, AT, "admi", "nentry.created", "ab", "c")).isNotEqualTo(hash);
		assertThat(AuditChain.hash(7, PREVIOUS, AT, "admin", "entry.create", "dab", "c")).isNotEqualTo(hash);
	}

	@Test
	void aNullFieldAndAnEmptyOneHashDifferently() {
		assertThat(AuditChain.hash(7, PREVIOUS, AT, "admin", "entry.created", null, "x"))
			.isNotEqualTo(AuditChain.hash(7, PREVIOUS, AT, "admin", "entry.created", "", "x"));
		assertThat(AuditChain.hash(7, PREVIOUS, AT, "admin", "entry.created", "x", null))
			.isNotEqualTo(AuditChain.hash(7, PREVIOUS, AT, "admin", "entry.created", "x", ""));
	}

	@Test
	void everyFieldIsCovered() {
		String hash = AuditChain.hash(7, PREVIOUS, AT, "admin", "entry.created", "s", "d");
		assertThat(hash).isEqualTo(AuditChain.hash(7, PREVIOUS, AT, "admin", "entry.created", "s", "d"))
			.isNotEqualTo(AuditChain.hash(8, PREVIOUS, AT, "admin", "entry.created", "s", "d"))
			.isNotEqualTo(AuditChain.hash(7, "22".repeat(32), AT, "admin", "entry.created", "s", "d"))
			.isNotEqualTo(AuditChain.hash(7, PREVIOUS, AT.plusNanos(1000), "admin", "entry.created", "s", "d"))
			.isNotEqualTo(AuditChain.hash(7, PREVIOUS, AT, "admin2", "entry.created", "s", "d"))
			.isNotEqualTo(AuditChain.hash(7, PREVIOUS, AT, "admin", "entry.deleted", "s", "d"))
			.isNotEqualTo(AuditChain.hash(7, PREVIOUS, AT, "admin", "entry.created", "t", "d"))
			.isNotEqualTo(AuditChain.hash(7, PREVIOUS, AT, "admin", "entry.created", "s", "e"));
	}

}
