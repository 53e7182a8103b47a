package io.tether.server.enrollment;

import java.time.Duration;
import java.time.Instant;

import io.tether.api.JoinToken;
import io.tether.api.JoinTokenRequest;
import io.tether.api.ProblemType;
import io.tether.server.security.RequiresRole;
import io.tether.server.security.Role;
import io.tether.server.security.ClientCertificates;
import io.tether.server.web.ApiException;
import io.tether.server.web.RequestFields;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/join-tokens} (role operator): a one-time token for one agent to enroll
 * with.
 */
@RestController
@RequiresRole(Role.OPERATOR)
class JoinTokenController {

	static final Duration DEFAULT_TTL = Duration.ofMinutes(15);

	private final JoinTokens tokens;

	JoinTokenController(JoinTokens tokens) {
		this.tokens = tokens;
	}

	@PostMapping(path = "/v1/join-tokens", consumes = "application/json")
	@ResponseStatus(HttpStatus.CREATED)
	JoinToken create(@RequestBody JoinTokenRequest body, HttpServletRequest http) {
		if (body == null || body.agent() == null) {
			throw new ApiException(ProblemType.BAD_REQUEST,
					"'agent' is required: the name of the agent that will join");
		}
		Duration ttl = RequestFields.ttl(body.ttl(), DEFAULT_TTL);
		JoinTokens.Created created = this.tokens.create(body.agent(), ttl, ClientCertificates.caller(http));
		return new JoinToken(created.token(), created.agent(), created.expiresAt());
	}

}
