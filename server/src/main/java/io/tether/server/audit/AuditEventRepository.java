package io.tether.server.audit;

import java.time.Instant;
import java.util.List;

import org.springframework.data.domain.Limit;
import org.springframework.data.repository.Repository;

/**
 * Append and read only: the audit log has no update and no delete.
 */
interface AuditEventRepository extends Repository<AuditEvent, Long> {

	AuditEvent save(AuditEvent event);

	List<AuditEvent> findByActionOrderByIdAsc(String action);

	List<AuditEvent> findByOccurredAtGreaterThanEqualOrderByIdDesc(Instant since, Limit limit);

	List<AuditEvent> findByOccurredAtGreaterThanEqualAndActionOrderByIdDesc(Instant since, String action, Limit limit);

	long count();

}
