package io.tether.workload.binding.spring;

import java.security.cert.X509Certificate;
import java.util.Objects;

import io.tether.workload.binding.BoundTokenVerifier;
import io.tether.workload.binding.ClientCertificateResolver;
import io.tether.workload.binding.InvalidTokenException;
import io.tether.workload.binding.VerifiedToken;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Spring Security resource-server integration: the bearer token of each request is
 * verified by {@link BoundTokenVerifier} against that request's client certificate, so a
 * token without {@code cnf}, or bound to another certificate, is refused. Spring's entry
 * point answers {@code 401} with {@code WWW-Authenticate: Bearer error="invalid_token"}.
 * <p>
 * Only {@code Authorization: Bearer} reaches this manager, so a DPoP-bound token
 * ({@code cnf.jkt}) is refused here, as RFC 9449 §7.2 wants of a DPoP token presented as
 * a bearer token. For {@code Authorization: DPoP} add
 * {@link DpopBoundTokenAuthenticationFilter} with the same verifier:
 *
 * <pre>
 * http.oauth2ResourceServer((server) -&gt; server
 * 		.authenticationManagerResolver(new BoundTokenAuthenticationManagerResolver(verifier, certificates)))
 * 	.addFilterBefore(new DpopBoundTokenAuthenticationFilter(verifier, certificates),
 * 		BearerTokenAuthenticationFilter.class);
 * </pre> Unlike Spring's own JWT support, which checks {@code cnf} only when a token has
 * one, this refuses unbound tokens unless the verifier allows them. Thread-safe.
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
				BoundTokenAuthentication result = BoundTokenAuthentication.of(token);
				result.setDetails(bearer.getDetails());
				return result;
			}
			catch (InvalidTokenException | IllegalArgumentException ex) {
				throw new InvalidBearerTokenException(ex.getMessage(), ex);
			}
		};
	}

}
