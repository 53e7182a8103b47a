package io.tether.server.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.tether.api.AuditEventView;
import io.tether.api.AuditList;
import io.tether.api.AuditVerification;
import io.tether.api.ProblemType;
import io.tether.server.security.RequiresRole;
import io.tether.server.security.Role;
import io.tether.server.web.ApiException;
import io.tether.server.web.RequestFields;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/audit} (role auditor): the audit log since a point in time, oldest
 * first. When more events match than {@code limit}, the most recent ones are returned.
 * {@code GET /v1/audit/verify} checks its hash chain, {@code GET /v1/audit/export}
 * streams it as JSON Lines.
 */
@RestController
@RequiresRole(Role.AUDITOR)
class AuditController {

	private static final int MAX_LIMIT = 1000;

	/** The instants every supported database stores as a timestamp. */
	private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

	private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

	private final AuditLog log;

	private final AuditVerifier verifier;

	private final AuditExport export;

	private final Clock clock;

	AuditController(AuditLog log, AuditVerifier verifier, AuditExport export, Clock clock) {
		this.log = log;
		this.verifier = verifier;
		this.export = export;
		this.clock = clock;
	}

	/**
	 * @param since an instant ({@code 2026-11-25T08:00:00Z}) or a duration back from now
	 * ({@code 1h}, {@code PT1H})
	 */
	@GetMapping("/v1/audit")
	AuditList list(@RequestParam(defaultValue = "24h") String since, @RequestParam(required = false) String action,
			@RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'limit' must be between 1 and " + MAX_LIMIT);
		}
		Instant from = since(since);
		return new AuditList(this.log.events(from, action, limit).stream().map(AuditController::view).toList());
	}

	/**
	 * Walks the hash chain and its checkpoints: OK with the range verified, or the first
	 * problem. A chain that does not verify is still a 200: the answer is the report.
	 */
	@GetMapping("/v1/audit/verify")
	AuditVerification verify() {
		return this.verifier.verify();
	}

	/**
	 * The sealed events in chain order, as JSON Lines, streamed: from the first event
	 * that occurred at or after {@code since}, or after sequence {@code after}, or from
	 * the start of the chain.
	 */
	@GetMapping(path = "/v1/audit/export", produces = MediaType.APPLICATION_NDJSON_VALUE)
	void export(@RequestParam(required = false) String since, @RequestParam(required = false) Long after,
			HttpServletResponse response) throws IOException {
		if (since != null && after != null) {
			throw new ApiException(ProblemType.BAD_REQUEST, "Give 'since' or 'after', not both");
		}
		if (after != null && after < 0) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'after' must be a sequence number, 0 or more");
		}
		long from = (since != null) ? this.export.firstSequenceSince(since(since)) - 1
				: (after != null) ? after : Long.MIN_VALUE;
		response.setContentType(MediaType.APPLICATION_NDJSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		this.export.write(from, response.getOutputStream());
	}

	private Instant since(String since) {
		if (!since.isEmpty() && (Character.isDigit(since.charAt(0)) || since.charAt(0) == '+' || since.charAt(0) == '-')
				&& since.contains("T")) {
			Instant instant;
			try {
				instant = Instant.parse(since);
			}
			catch (DateTimeParseException ex) {
				throw new ApiException(ProblemType.BAD_REQUEST,
						"'since' must be an instant such as 2026-11-25T08:00:00Z or a duration such as 1h");
			}
			if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
				throw new ApiException(ProblemType.BAD_REQUEST,
						"'since' must lie between " + EARLIEST + " and " + LATEST + ", not " + since);
			}
			return instant;
		}
		return this.clock.instant().minus(RequestFields.duration("since", since));
	}

	private static AuditEventView view(AuditEvent event) {
		return new AuditEventView(event.getId(), event.getOccurredAt(), event.getActor(), event.getAction(),
				event.getSubject(), event.getDetail());
	}

}
