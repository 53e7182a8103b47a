package io.tether.server.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import io.tether.api.AuditChainEvent;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes the sealed part of the audit log as JSON Lines, one {@link AuditChainEvent} a
 * line, in chain order, a page of events at a time: a SIEM takes it whole or from where
 * it left off, and can check each line's hash and link on its own. Unsealed events (a
 * second old or so) are left for the next export.
 */
@Component
class AuditExport {

	private static final int PAGE = 1000;

	private final JdbcTemplate jdbc;

	private final JsonMapper json;

	AuditExport(JdbcTemplate jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/**
	 * The sequence of the first sealed event that occurred at or after an instant, or one
	 * past the chain's end when none did.
	 */
	long firstSequenceSince(Instant since) {
		Long first = this.jdbc.queryForObject(
				"select min(chain_seq) from audit_event where occurred_at >= ? and chain_seq is not null", Long.class,
				Timestamp.from(since));
		if (first != null) {
			return first;
		}
		Long last = this.jdbc.queryForObject("select max(chain_seq) from audit_event", Long.class);
		return (last != null) ? last + 1 : 1;
	}

	/** Writes every sealed event after a sequence number. */
	void write(long afterSequence, OutputStream out) throws IOException {
		long after = afterSequence;
		while (true) {
			List<ChainRow> rows = this.jdbc.query(
					"select " + ChainRow.COLUMNS + " from audit_event"
							+ " where chain_seq > ? order by chain_seq fetch first " + PAGE + " rows only",
					ChainRow::read, after);
			for (ChainRow row : rows) {
				AuditChainEvent event = new AuditChainEvent(row.sequence(), row.id(), row.occurredAt(), row.actor(),
						row.action(), row.subject(), row.detail(), row.previousHash(), row.hash());
				out.write(this.json.writeValueAsBytes(event));
				out.write('\n');
			}
			out.flush();
			if (rows.size() < PAGE) {
				return;
			}
			after = rows.get(rows.size() - 1).sequence();
		}
	}

}
