package io.tether.server.authority;

import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface AuthorityRepository extends JpaRepository<AuthorityEntity, String> {

	Optional<AuthorityEntity> findFirstByKindAndStatusOrderByGenerationDesc(AuthorityEntity.Kind kind,
			AuthorityEntity.Status status);

	List<AuthorityEntity> findByKindAndStatusOrderByGenerationAsc(AuthorityEntity.Kind kind,
			AuthorityEntity.Status status);

	/**
	 * The active intermediate, locked until the transaction ends: replicas racing to
	 * rotate it take turns, and the second finds the rotation done.
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select a from AuthorityEntity a where a.kind = :kind and a.status = :status order by a.generation desc")
	List<AuthorityEntity> findForUpdateByKindAndStatus(@Param("kind") AuthorityEntity.Kind kind,
			@Param("status") AuthorityEntity.Status status);

}
