package io.tether.server.enrollment;

import java.time.Instant;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface JoinTokenRepository extends JpaRepository<JoinTokenEntity, String> {

	long countByUsedAtIsNullAndExpiresAtAfter(Instant now);

	/**
	 * Marks a token used if it is still unused and unexpired; one statement, so two
	 * enrollments racing with one token (on any replicas) cannot both win.
	 * @return 1 if this call consumed the token, 0 otherwise
	 */
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("update JoinTokenEntity t set t.usedAt = :now where t.id = :id and t.usedAt is null and t.expiresAt > :now")
	int consume(@Param("id") String id, @Param("now") Instant now);

	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("delete from JoinTokenEntity t where t.expiresAt < :before")
	int deleteExpiredBefore(@Param("before") Instant before);

}
