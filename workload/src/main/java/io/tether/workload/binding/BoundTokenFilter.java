package io.tether.workload.binding;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Enumeration;
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
 * accepts for the request's client certificate, or {@code Authorization: DPoP <token>}
 * with a {@code DPoP} proof header (RFC 9449) when the verifier accepts DPoP. Refusals
 * are {@code 401} with {@code WWW-Authenticate: Bearer error="invalid_token"} (RFC 6750),
 * or, for the DPoP scheme and for proofs,
 * {@code WWW-Authenticate: DPoP error="invalid_token"} / {@code "invalid_dpop_proof"} /
 * {@code "use_dpop_nonce"} (with a {@code DPoP-Nonce} header); an accepted token is left
 * in the request attribute {@link VerifiedToken#REQUEST_ATTRIBUTE}.
 * <p>
 * The proof's {@code htu} is compared with the request URL as the container sees it
 * ({@code getRequestURL()}): behind a proxy, have the container rebuild the client's URL
 * from the forwarded headers of trusted proxies (Tomcat's {@code RemoteIpValve}, Spring's
 * {@code ForwardedHeaderFilter}).
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
		String lower = (authorization != null) ? authorization.toLowerCase(Locale.ROOT) : "";
		boolean dpop = lower.startsWith("dpop ");
		if (!dpop && !lower.startsWith("bearer ")) {
			// RFC 6750 3.1: no error code when the request carried no token at all
			response.setHeader("WWW-Authenticate", challenges());
			response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
			return;
		}
		String token = authorization.substring(dpop ? 5 : 7).strip();
		try {
			X509Certificate certificate = this.certificates.resolve(request).orElse(null);
			VerifiedToken verified;
			if (dpop) {
				verified = this.verifier.verifyDpop(token, proof(request), request.getMethod(),
						request.getRequestURL().toString(), certificate);
			}
			else {
				verified = this.verifier.verify(token, certificate);
			}
			request.setAttribute(VerifiedToken.REQUEST_ATTRIBUTE, verified);
		}
		catch (InvalidTokenException ex) {
			logger.log(Level.FINE, "Refused access token: {0}", ex.getMessage());
			String nonce = (ex instanceof InvalidDpopProofException proof) ? proof.nonce() : null;
			if (nonce != null) {
				response.setHeader("DPoP-Nonce", nonce);
			}
			boolean dpopChallenge = dpop || ex instanceof InvalidDpopProofException;
			response.setHeader("WWW-Authenticate", dpopChallenge ? dpopChallenge(ex.error(), ex.getMessage())
					: "Bearer error=\"" + ex.error() + "\", error_description=\"" + quoted(ex.getMessage()) + "\"");
			response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
			return;
		}
		catch (IllegalArgumentException ex) {
			logger.log(Level.FINE, "Refused access token: {0}", ex.getMessage());
			response.setHeader("WWW-Authenticate", dpop ? dpopChallenge("invalid_token", ex.getMessage())
					: "Bearer error=\"invalid_token\", error_description=\"" + quoted(ex.getMessage()) + "\"");
			response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
			return;
		}
		String nonce = this.verifier.currentDpopNonce();
		if (nonce != null) {
			// RFC 9449 9: a fresh nonce on every response lets clients follow its
			// rotation
			response.setHeader("DPoP-Nonce", nonce);
		}
		chain.doFilter(request, response);
	}

	/**
	 * The single {@code DPoP} header: RFC 9449 4.3 refuses a request with more than one.
	 */
	private static String proof(HttpServletRequest request) throws InvalidDpopProofException {
		Enumeration<String> values = request.getHeaders("DPoP");
		if (values == null || !values.hasMoreElements()) {
			return null;
		}
		String first = values.nextElement();
		if (values.hasMoreElements()) {
			throw new InvalidDpopProofException("The request has more than one DPoP header");
		}
		return first;
	}

	private String challenges() {
		return this.verifier.acceptsDpop() ? "Bearer, " + dpopChallenge(null, null) : "Bearer";
	}

	private static String dpopChallenge(String error, String description) {
		String challenge = "DPoP algs=\"" + DpopProofVerifier.ALGS + "\"";
		if (error != null) {
			challenge = "DPoP error=\"" + error + "\", error_description=\"" + quoted(description) + "\", algs=\""
					+ DpopProofVerifier.ALGS + "\"";
		}
		return challenge;
	}

	private static String quoted(String text) {
		return String.valueOf(text).replaceAll("[^\\x20-\\x7e]", " ").replace("\\", "\\\\").replace("\"", "'");
	}

}
