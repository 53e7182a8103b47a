package io.tether.server.throttle;

import io.tether.server.security.CallingAgent;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Checks a limit before the handler reads the body, so that malformed requests count too
 * and a refused one does no work. Only requests a controller method serves count: not
 * {@code OPTIONS}, which Spring answers itself.
 */
final class ThrottleInterceptor {

	private ThrottleInterceptor() {
	}

	/**
	 * Per source: the TCP peer's address. Behind a proxy or a NAT every client has the
	 * same one; forwarded headers are not read, since any client could write them.
	 */
	static HandlerInterceptor enrollment(Throttles throttles) {
		return new HandlerInterceptor() {

			@Override
			public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
				if (handler instanceof HandlerMethod) {
					throttles.enrollmentAttempt(request.getRemoteAddr());
				}
				return true;
			}

		};
	}

	/**
	 * Per agent, as its client certificate authenticated it: runs after the agent
	 * interceptor, so an unauthenticated caller is refused before it takes a bucket.
	 */
	static HandlerInterceptor agentIssuance(Throttles throttles) {
		return new HandlerInterceptor() {

			@Override
			public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
				if (handler instanceof HandlerMethod) {
					CallingAgent.find(request).ifPresent(throttles::agentIssuance);
				}
				return true;
			}

		};
	}

}
