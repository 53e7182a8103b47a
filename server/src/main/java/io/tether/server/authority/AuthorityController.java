package io.tether.server.authority;

import java.util.Locale;

import io.tether.api.CaView;
import io.tether.api.ProblemType;
import io.tether.api.RotateRequest;
import io.tether.api.Rotated;
import io.tether.server.TetherProperties;
import io.tether.server.security.RequiresRole;
import io.tether.server.security.Role;
import io.tether.server.security.ClientCertificates;
import io.tether.server.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/ca} (role auditor): the CA hierarchy; {@code POST /v1/ca/rotate} (role
 * admin): move a rotation forward now.
 */
@RestController
@RequiresRole(Role.ADMIN)
class AuthorityController {

	private final Authorities authorities;

	private final HierarchyAuthority authority;

	private final TetherProperties properties;

	private final RevocationUrls urls;

	AuthorityController(Authorities authorities, HierarchyAuthority authority, TetherProperties properties,
			RevocationUrls urls) {
		this.authorities = authorities;
		this.authority = authority;
		this.properties = properties;
		this.urls = urls;
	}

	@RequiresRole(Role.AUDITOR)
	@GetMapping("/v1/ca")
	CaView show() {
		return new CaView(this.properties.trustDomain(), this.authorities.all(), this.urls.ocspUrl().orElse(null));
	}

	@PostMapping(path = "/v1/ca/rotate", consumes = "application/json")
	Rotated rotate(@RequestBody RotateRequest body, HttpServletRequest http) {
		if (body.kind() == null) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'kind' is required: intermediate or root");
		}
		AuthorityEntity.Kind kind = switch (body.kind().toLowerCase(Locale.ROOT)) {
			case "intermediate" -> AuthorityEntity.Kind.INTERMEDIATE;
			case "root" -> AuthorityEntity.Kind.ROOT;
			default -> throw new ApiException(ProblemType.BAD_REQUEST,
					"'kind' must be intermediate or root, not '" + body.kind() + "'");
		};
		String done = this.authority.rotate(kind, Boolean.TRUE.equals(body.emergency()),
				ClientCertificates.caller(http));
		return new Rotated(done, show());
	}

}
