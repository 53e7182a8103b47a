package io.tether.workload.binding;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An access token that passed {@link BoundTokenVerifier#verify}: signed by the
 * authorization server, unexpired, for this audience and, unless unbound tokens are
 * allowed, bound to the certificate of the connection that presented it.
 *
 * @param subject {@code sub}: for client credentials, the client (a SPIFFE ID)
 * @param clientId {@code client_id}, or {@code null}
 * @param audience {@code aud}
 * @param scopes {@code scope}, split on spaces
 * @param expiresAt {@code exp}
 * @param x5tS256 {@code cnf.x5t#S256}, or {@code null} if not bound to a certificate
 * @param claims every claim, as parsed
 * @param jkt {@code cnf.jkt} (RFC 9449), or {@code null} if not bound to a DPoP key; when
 * set, the request carried a valid proof signed with that key
 */
public record VerifiedToken(String subject, String clientId, List<String> audience, Set<String> scopes,
		Instant expiresAt, String x5tS256, Map<String, Object> claims, String jkt) {

	/** The request attribute under which {@link BoundTokenFilter} leaves the token. */
	public static final String REQUEST_ATTRIBUTE = VerifiedToken.class.getName();

	public VerifiedToken {
		audience = List.copyOf(audience);
		scopes = Set.copyOf(scopes);
		claims = Map.copyOf(claims);
	}

	/**
	 * A token that is not DPoP-bound.
	 * @param subject {@code sub}
	 * @param clientId {@code client_id}, or {@code null}
	 * @param audience {@code aud}
	 * @param scopes {@code scope}
	 * @param expiresAt {@code exp}
	 * @param x5tS256 {@code cnf.x5t#S256}, or {@code null}
	 * @param claims every claim
	 */
	public VerifiedToken(String subject, String clientId, List<String> audience, Set<String> scopes, Instant expiresAt,
			String x5tS256, Map<String, Object> claims) {
		this(subject, clientId, audience, scopes, expiresAt, x5tS256, claims, null);
	}

}
