package io.tether.server.security;

import java.security.cert.X509Certificate;

import io.tether.api.ProblemType;
import io.tether.pki.SpiffeId;
import io.tether.server.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.stereotype.Component;

/**
 * Enforces {@link RequiresRole}: no client certificate is 401; a certificate of no
 * operator is 403 {@code not-admin}; a revoked operator or certificate is 403, on every
 * call; a role below the one required is 403 {@code forbidden-role}. The operator's audit
 * name is left in a request attribute for {@link ClientCertificates#caller}.
 */
@Component
class AdminAuthorizationInterceptor implements HandlerInterceptor {

	private final OperatorAuthenticator operators;

	AdminAuthorizationInterceptor(OperatorAuthenticator operators) {
		this.operators = operators;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (!(handler instanceof HandlerMethod method)) {
			return true;
		}
		Role required = requiredRole(method);
		if (required == null) {
			return true;
		}
		X509Certificate certificate = ClientCertificates.leaf(request)
			.orElseThrow(() -> new ApiException(ProblemType.CLIENT_CERTIFICATE_REQUIRED,
					"This endpoint needs an operator's client certificate over mTLS ('tether login', or the "
							+ "bootstrap admin's in <data-dir>/admin/)"));
		SpiffeId id = ClientCertificates.spiffeId(certificate)
			.orElseThrow(() -> new ApiException(ProblemType.NOT_ADMIN,
					"The client certificate carries no SPIFFE ID; use an operator certificate"));
		OperatorAuthenticator.Caller caller = this.operators.authenticate(id, certificate);
		if (caller == null) {
			throw new ApiException(ProblemType.NOT_ADMIN,
					"'" + id + "' is not an operator; this endpoint needs an operator certificate of role "
							+ required.id() + " or above");
		}
		if (!caller.role().includes(required)) {
			throw new ApiException(ProblemType.FORBIDDEN_ROLE, "Operator '" + caller.actor() + "' has role "
					+ caller.role().id() + "; this endpoint needs role " + required.id() + " or above");
		}
		request.setAttribute(ClientCertificates.ACTOR, caller.actor());
		return true;
	}

	private static Role requiredRole(HandlerMethod method) {
		RequiresRole onMethod = method.getMethodAnnotation(RequiresRole.class);
		if (onMethod != null) {
			return onMethod.value();
		}
		RequiresRole onType = AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), RequiresRole.class);
		return (onType != null) ? onType.value() : null;
	}

}
