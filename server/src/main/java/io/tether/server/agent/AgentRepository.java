package io.tether.server.agent;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;

interface AgentRepository extends JpaRepository<AgentEntity, String> {

	List<AgentEntity> findAllByOrderByNameAsc();

	long countByStatus(AgentEntity.Status status);

	long countByStatusAndLastSeenAtGreaterThanEqual(AgentEntity.Status status, Instant since);

	/**
	 * The agent row, locked until the transaction ends: eviction and every agent call
	 * that issues or updates take it, so none of them can act on a status another has
	 * just changed.
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	Optional<AgentEntity> findForUpdateByName(String name);

}
