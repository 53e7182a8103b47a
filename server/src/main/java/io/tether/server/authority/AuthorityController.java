package io.tether.server.authority;

import java.util.List;

import io.tether.api.CaView;
import io.tether.server.TetherProperties;
import io.tether.server.security.AdminOnly;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/ca} (admin): the CA hierarchy.
 */
@RestController
@AdminOnly
class AuthorityController {

	private final Authorities authorities;

	private final TetherProperties properties;

	AuthorityController(Authorities authorities, TetherProperties properties) {
		this.authorities = authorities;
		this.properties = properties;
	}

	@GetMapping("/v1/ca")
	CaView show() {
		return new CaView(this.properties.trustDomain(), this.authorities.all());
	}

}
