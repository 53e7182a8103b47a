package io.tether.server.operator;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface OperatorRepository extends JpaRepository<OperatorEntity, String> {

	List<OperatorEntity> findAllByOrderByNameAsc();

	/**
	 * The operator row, locked until the transaction ends: revocation and enrollment both
	 * take it, so an enrollment cannot slip in beside a revocation.
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	Optional<OperatorEntity> findForUpdateByName(String name);

	/**
	 * Marks an active operator's token used if it is still unused and unexpired; one
	 * statement, so two enrollments racing with one token (on any replicas) cannot both
	 * win.
	 * @return 1 if this call consumed the token, 0 otherwise
	 */
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("update OperatorEntity o set o.tokenUsedAt = :now where o.name = :name and o.tokenUsedAt is null "
			+ "and o.tokenHash is not null and o.tokenExpiresAt > :now "
			+ "and o.state = io.tether.server.operator.OperatorEntity.State.ACTIVE")
	int consumeToken(@Param("name") String name, @Param("now") Instant now);

}
