package io.tether.server.security;

import java.security.cert.X509Certificate;

import io.tether.api.ProblemType;
import io.tether.pki.SpiffeId;
import io.tether.server.TetherProperties;
import io.tether.server.identity.AgentNames;
import io.tether.server.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Enforces {@link AgentOnly}: the client certificate (already verified against Tether's
 * roots by the TLS handshake) must carry an agent SPIFFE ID of this trust domain, must
 * not be revoked (revoking an agent's own certificate shuts that certificate out, renewal
 * included), and that agent must be enrolled and active. The agent's name is left in a
 * request attribute.
 */
@Component
class AgentAuthorizationInterceptor implements HandlerInterceptor {

	private final AgentAuthenticator agents;

	private final String trustDomain;

	AgentAuthorizationInterceptor(AgentAuthenticator agents, TetherProperties properties) {
		this.agents = agents;
		this.trustDomain = properties.trustDomain();
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (!(handler instanceof HandlerMethod method) || !(method.hasMethodAnnotation(AgentOnly.class)
				|| AnnotatedElementUtils.hasAnnotation(method.getBeanType(), AgentOnly.class))) {
			return true;
		}
		X509Certificate certificate = ClientCertificates.leaf(request)
			.orElseThrow(() -> new ApiException(ProblemType.CLIENT_CERTIFICATE_REQUIRED,
					"This endpoint needs an agent certificate over mTLS"));
		SpiffeId id = ClientCertificates.spiffeId(certificate)
			.orElseThrow(() -> new ApiException(ProblemType.NOT_AGENT, "The client certificate carries no SPIFFE ID"));
		String name = AgentNames.nameOf(id, this.trustDomain);
		if (name == null) {
			throw new ApiException(ProblemType.NOT_AGENT, "'" + id + "' is not an agent identity");
		}
		this.agents.authenticate(name, certificate);
		request.setAttribute(CallingAgent.ATTRIBUTE, name);
		return true;
	}

	/**
	 * Last-seen counts successful calls only, so that a refused request changes nothing.
	 */
	@Override
	public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		if (request.getAttribute(CallingAgent.ATTRIBUTE) instanceof String name && ex == null
				&& response.getStatus() < 400) {
			this.agents.seen(name);
		}
	}

}
