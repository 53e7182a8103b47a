package io.tether.workload.binding.spring;

import java.io.IOException;
import java.util.Locale;
import java.util.Objects;

import io.tether.workload.binding.BoundTokenFilter;
import io.tether.workload.binding.BoundTokenVerifier;
import io.tether.workload.binding.ClientCertificateResolver;
import io.tether.workload.binding.VerifiedToken;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.WebAuthenticationDetailsSource;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * DPoP (RFC 9449) for Spring Security resource servers: a request with
 * {@code Authorization: DPoP <token>} and a {@code DPoP} proof header is verified by
 * {@link BoundTokenVerifier#verifyDpop} exactly as {@link BoundTokenFilter} does it
 * (token, then proof: {@code htm}, {@code htu}, {@code ath}, {@code jkt}, nonce, replay),
 * and, if accepted, authenticated as a {@link BoundTokenAuthentication} with
 * {@code SCOPE_<scope>} authorities. A refusal is {@code 401} with
 * {@code WWW-Authenticate: DPoP error="invalid_token"} / {@code "invalid_dpop_proof"} /
 * {@code "use_dpop_nonce"} (and {@code DPoP-Nonce}), as RFC 9449 §7.1 and §9 say; an
 * accepted request gets the current {@code DPoP-Nonce} when nonces are configured. Other
 * requests pass untouched, so bearer tokens still reach
 * {@link BoundTokenAuthenticationManagerResolver}, which refuses DPoP-bound ones:
 *
 * <pre>
 * http.oauth2ResourceServer((server) -&gt; server
 * 		.authenticationManagerResolver(new BoundTokenAuthenticationManagerResolver(verifier, certificates)))
 * 	.addFilterBefore(new DpopBoundTokenAuthenticationFilter(verifier, certificates),
 * 		BearerTokenAuthenticationFilter.class);
 * </pre>
 * <p>
 * The verifier needs {@link BoundTokenVerifier.Builder#dpop DPoP settings}, or every DPoP
 * request is refused. Leave Spring's own DPoP support ({@code server.dPoP(...)}) off: it
 * would verify the proof again with its own replay cache and hand the token to the
 * resolver as a bearer token, which refuses it. Create this filter inline as above, not
 * as a {@code @Bean}, which Spring Boot would also register as a servlet filter. The
 * refusal is written with {@code setStatus}, not {@code sendError}, so that no error
 * dispatch runs the security chain again and replaces the challenge (Spring's
 * {@code BearerTokenAuthenticationEntryPoint} does the same). Thread-safe.
 */
public final class DpopBoundTokenAuthenticationFilter extends OncePerRequestFilter {

	private final BoundTokenFilter verification;

	private final SecurityContextHolderStrategy securityContextHolderStrategy = SecurityContextHolder
		.getContextHolderStrategy();

	private final SecurityContextRepository securityContextRepository = new RequestAttributeSecurityContextRepository();

	private final WebAuthenticationDetailsSource details = new WebAuthenticationDetailsSource();

	/**
	 * @param verifier checks the tokens and proofs; it needs DPoP settings
	 * @param certificates finds each request's client certificate (a DPoP-bound token may
	 * carry {@code cnf.x5t#S256} too)
	 */
	public DpopBoundTokenAuthenticationFilter(BoundTokenVerifier verifier, ClientCertificateResolver certificates) {
		this.verification = new BoundTokenFilter(Objects.requireNonNull(verifier, "'verifier' must not be null"),
				Objects.requireNonNull(certificates, "'certificates' must not be null"));
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String authorization = request.getHeader("Authorization");
		return authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith("dpop ");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		this.verification.doFilter(request, new StatusOnlyResponse(response), (verifiedRequest, verifiedResponse) -> {
			VerifiedToken token = (VerifiedToken) request.getAttribute(VerifiedToken.REQUEST_ATTRIBUTE);
			BoundTokenAuthentication authentication = BoundTokenAuthentication.of(token);
			authentication.setDetails(this.details.buildDetails(request));
			SecurityContext context = this.securityContextHolderStrategy.createEmptyContext();
			context.setAuthentication(authentication);
			this.securityContextHolderStrategy.setContext(context);
			this.securityContextRepository.saveContext(context, request, response);
			chain.doFilter(request, response);
		});
	}

	/**
	 * Turns {@link BoundTokenFilter}'s {@code sendError(401)} into a plain status.
	 */
	private static final class StatusOnlyResponse extends HttpServletResponseWrapper {

		StatusOnlyResponse(HttpServletResponse response) {
			super(response);
		}

		@Override
		public void sendError(int status) {
			setStatus(status);
		}

	}

}
