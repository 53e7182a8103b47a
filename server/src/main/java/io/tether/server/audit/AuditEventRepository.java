package io.tether.server.audit;

import java.util.List;

import org.springframework.data.repository.Repository;

/**
 * Append and read only: the audit log has no update and no delete.
 */
public interface AuditEventRepository extends Repository<AuditEvent, Long> {

	AuditEvent save(AuditEvent event);

	List<AuditEvent> findByActionOrderByIdAsc(String action);

	long count();

}
