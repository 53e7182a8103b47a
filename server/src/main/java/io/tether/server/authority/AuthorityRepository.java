package io.tether.server.authority;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

interface AuthorityRepository extends JpaRepository<AuthorityEntity, String> {

	Optional<AuthorityEntity> findFirstByKindAndStatusOrderByGenerationDesc(AuthorityEntity.Kind kind,
			AuthorityEntity.Status status);

	List<AuthorityEntity> findByKindAndStatusOrderByGenerationAsc(AuthorityEntity.Kind kind,
			AuthorityEntity.Status status);

}
