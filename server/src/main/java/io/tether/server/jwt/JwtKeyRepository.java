package io.tether.server.jwt;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

interface JwtKeyRepository extends JpaRepository<JwtKeyEntity, String> {

	List<JwtKeyEntity> findAllByOrderByActiveFromAscKidAsc();

}
