package io.tether.server.security;

import java.security.cert.X509Certificate;

import io.tether.api.ProblemType;
import io.tether.pki.SpiffeId;
import io.tether.server.TetherProperties;
import io.tether.server.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Enforces {@link AdminOnly}: no client certificate is 401, a certificate of anyone but
 * the admin is 403.
 */
@Component
class AdminAuthorizationInterceptor implements HandlerInterceptor {

	private final SpiffeId adminId;

	AdminAuthorizationInterceptor(TetherProperties properties) {
		this.adminId = properties.adminId();
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (!(handler instanceof HandlerMethod method) || !isAdminOnly(method)) {
			return true;
		}
		X509Certificate certificate = ClientCertificates.leaf(request)
			.orElseThrow(() -> new ApiException(ProblemType.CLIENT_CERTIFICATE_REQUIRED,
					"This endpoint needs the admin client certificate over mTLS (see <data-dir>/admin/)"));
		SpiffeId caller = ClientCertificates.spiffeId(certificate)
			.orElseThrow(() -> new ApiException(ProblemType.NOT_ADMIN,
					"The client certificate carries no SPIFFE ID; use the admin certificate"));
		if (!caller.equals(this.adminId)) {
			throw new ApiException(ProblemType.NOT_ADMIN,
					"'" + caller + "' is not an admin; this endpoint needs the certificate of " + this.adminId);
		}
		return true;
	}

	private static boolean isAdminOnly(HandlerMethod method) {
		return method.hasMethodAnnotation(AdminOnly.class)
				|| AnnotatedElementUtils.hasAnnotation(method.getBeanType(), AdminOnly.class);
	}

}
