package io.tether.workload.binding;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A servlet filter for resource servers: every request needs
 * {@code Authorization: Bearer <token>} with a token that {@link BoundTokenVerifier}
 * accepts for the request's client certificate. Refusals are {@code 401} with
 * {@code WWW-Authenticate: Bearer error="invalid_token"} (RFC 6750); an accepted token is
 * left in the request attribute {@link VerifiedToken#REQUEST_ATTRIBUTE}.
 */
public final class BoundTokenFilter implements Filter {

	private static final Logger logger = Logger.getLogger(BoundTokenFilter.class.getName());

	private final BoundTokenVerifier verifier;

	private final ClientCertificateResolver certificates;

	/**
	 * @param verifier checks the tokens
	 * @param certificates finds each request's client certificate
	 */
	public BoundTokenFilter(BoundTokenVerifier verifier, ClientCertificateResolver certificates) {
		this.verifier = Objects.requireNonNull(verifier, "'verifier' must not be null");
		this.certificates = Objects.requireNonNull(certificates, "'certificates' must not be null");
	}

	@Override
	public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
			throws IOException, ServletException {
		HttpServletRequest request = (HttpServletRequest) servletRequest;
		HttpServletResponse response = (HttpServletResponse) servletResponse;
		String authorization = request.getHeader("Authorization");
		if (authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
			// RFC 6750 3.1: no error code when the request carried no token at all
			response.setHeader("WWW-Authenticate", "Bearer");
			response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
			return;
		}
		try {
			X509Certificate certificate = this.certificates.resolve(request).orElse(null);
			VerifiedToken token = this.verifier.verify(authorization.substring(7).strip(), certificate);
			request.setAttribute(VerifiedToken.REQUEST_ATTRIBUTE, token);
		}
		catch (InvalidTokenException | IllegalArgumentException ex) {
			logger.log(Level.FINE, "Refused access token: {0}", ex.getMessage());
			response.setHeader("WWW-Authenticate",
					"Bearer error=\"invalid_token\", error_description=\"" + quoted(ex.getMessage()) + "\"");
			response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
			return;
		}
		chain.doFilter(request, response);
	}

	private static String quoted(String text) {
		return String.valueOf(text).replaceAll("[^\\x20-\\x7e]", " ").replace("\\", "\\\\").replace("\"", "'");
	}

}
