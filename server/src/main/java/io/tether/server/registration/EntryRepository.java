package io.tether.server.registration;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

interface EntryRepository extends JpaRepository<EntryEntity, String> {

	List<EntryEntity> findByAgentNameOrderBySpiffeIdAsc(String agentName);

	List<EntryEntity> findAllByOrderByAgentNameAscSpiffeIdAsc();

	boolean existsBySpiffeIdAndAgentName(String spiffeId, String agentName);

	List<EntryEntity> findBySpiffeIdOrSubjectIsNotNull(String spiffeId);

}
