package io.tether.server.authority;

import java.util.List;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface AuthorityRepository extends JpaRepository<AuthorityEntity, String> {

	/**
	 * Every authority, locked until the transaction ends: replicas racing to take a
	 * rotation step take turns, and the second finds the step taken.
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select a from AuthorityEntity a order by a.kind, a.generation")
	List<AuthorityEntity> findAllForUpdate();

}
