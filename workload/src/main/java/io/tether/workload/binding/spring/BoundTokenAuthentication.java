package io.tether.workload.binding.spring;

import java.util.Collection;
import java.util.List;

import io.tether.workload.binding.VerifiedToken;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An authenticated request carrying a verified certificate-bound or DPoP-bound token: the
 * principal is the {@link VerifiedToken}, the name its subject (a SPIFFE ID for
 * workloads), and the authorities {@code SCOPE_<scope>} for each scope, as Spring
 * Security's own resource server names them.
 */
public final class BoundTokenAuthentication extends AbstractAuthenticationToken {

	private static final long serialVersionUID = 1L;

	private final transient VerifiedToken token;

	/**
	 * @param token the verified token
	 * @param authorities what it grants
	 */
	public BoundTokenAuthentication(VerifiedToken token, Collection<? extends GrantedAuthority> authorities) {
		super(authorities);
		this.token = token;
		setAuthenticated(true);
	}

	/**
	 * The authentication of a verified token, with its scopes as authorities.
	 */
	static BoundTokenAuthentication of(VerifiedToken token) {
		List<GrantedAuthority> authorities = token.scopes()
			.stream()
			.sorted()
			.map((scope) -> (GrantedAuthority) new SimpleGrantedAuthority("SCOPE_" + scope))
			.toList();
		return new BoundTokenAuthentication(token, authorities);
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public VerifiedToken getPrincipal() {
		return this.token;
	}

	@Override
	public String getName() {
		return this.token.subject();
	}

}
