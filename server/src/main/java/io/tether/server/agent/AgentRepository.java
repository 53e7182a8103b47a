package io.tether.server.agent;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

public interface AgentRepository extends JpaRepository<AgentEntity, String> {

	List<AgentEntity> findAllByOrderByNameAsc();

	long countByStatus(AgentEntity.Status status);

}
