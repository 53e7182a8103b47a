package io.tether.server.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes audit events. An event joins the caller's transaction (it is mandatory), so the
 * audit line and the change it describes commit together or not at all.
 */
@Service
public class AuditLog {

	/** Actor name for what the server does by itself (bootstrap, its own TLS). */
	public static final String SYSTEM = "tether-server";

	private final AuditEventRepository events;

	private final Clock clock;

	AuditLog(AuditEventRepository events, Clock clock) {
		this.events = events;
		this.clock = clock;
	}

	/**
	 * Events since an instant, oldest first; when more match than {@code limit}, the
	 * newest ones.
	 */
	@Transactional(readOnly = true)
	List<AuditEvent> events(Instant from, String action, int limit) {
		List<AuditEvent> newestFirst = (action != null)
				? this.events.findByOccurredAtGreaterThanEqualAndActionOrderByIdDesc(from, action, Limit.of(limit))
				: this.events.findByOccurredAtGreaterThanEqualOrderByIdDesc(from, Limit.of(limit));
		return newestFirst.reversed();
	}

	@Transactional(propagation = Propagation.MANDATORY)
	public void record(String actor, String action, String subject, String detail) {
		this.events.save(new AuditEvent(this.clock.instant(), actor, action, subject, detail));
	}

}
