package io.tether.server.audit;

import java.time.Clock;

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

	public AuditLog(AuditEventRepository events, Clock clock) {
		this.events = events;
		this.clock = clock;
	}

	@Transactional(propagation = Propagation.MANDATORY)
	public void record(String actor, String action, String subject, String detail) {
		this.events.save(new AuditEvent(this.clock.instant(), actor, action, subject, detail));
	}

}
