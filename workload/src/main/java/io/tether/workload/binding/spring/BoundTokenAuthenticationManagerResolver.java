package io.tether.workload.binding.spring;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

import io.tether.workload.binding.BoundTokenVerifier;
import io.tether.workload.binding.ClientCertificateResolver;
import io.tether.workload.binding.InvalidTokenException;
import io.tether.workload.binding.VerifiedToken;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Spring Security resource-server integration: the bearer token of each request is
 * verified by {@link BoundTokenVerifier} against that request's client certificate, so a
 * token without {@code cnf}, or bound to another certificate, is refused. Spring's entry
 * point answers {@code 401} with {@code WWW-Authenticate: Bearer error="invalid_token"}.
 *
 * <pre>
 * http.oauth2ResourceServer((server) -&gt; server
 * 		.authenticationManagerResolver(new BoundTokenAuthenticationManagerResolver(verifier, certificates)));
 * </pre> Unlike Spring's own JWT support, which checks {@code cnf} only when a token has
 * one, this refuses unbound tokens unless the verifier allows them. DPoP-bound tokens
 * ({@code cnf.jkt}) are refused here, since only a bearer token reaches this manager: use
 * {@link io.tether.workload.binding.BoundTokenFilter} for them. Thread-safe.
 */
public final class BoundTokenAuthenticationManagerResolver
		implements AuthenticationManagerResolver<HttpServletRequest> {

	private final BoundTokenVerifier verifier;

	private final ClientCertificateResolver certificates;

	/**
	 * @param verifier checks the tokens
	 * @param certificates finds each request's client certificate (directly, or from a
	 * trusted proxy)
	 */
	public BoundTokenAuthenticationManagerResolver(BoundTokenVerifier verifier,
			ClientCertificateResolver certificates) {
		this.verifier = Objects.requireNonNull(verifier, "'verifier' must not be null");
		this.certificates = Objects.requireNonNull(certificates, "'certificates' must not be null");
	}

	@Override
	public AuthenticationManager resolve(HttpServletRequest request) {
		return (authentication) -> {
			if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
				throw new InvalidBearerTokenException("Only bearer tokens are accepted here");
			}
			try {
				X509Certificate certificate = this.certificates.resolve(request).orElse(null);
				VerifiedToken token = this.verifier.verify(bearer.getToken(), certificate);
				List<GrantedAuthority> authorities = token.scopes()
					.stream()
					.sorted()
					.map((scope) -> (GrantedAuthority) new SimpleGrantedAuthority("SCOPE_" + scope))
					.toList();
				BoundTokenAuthentication result = new BoundTokenAuthentication(token, authorities);
				result.setDetails(bearer.getDetails());
				return result;
			}
			catch (InvalidTokenException | IllegalArgumentException ex) {
				throw new InvalidBearerTokenException(ex.getMessage(), ex);
			}
		};
	}

}
