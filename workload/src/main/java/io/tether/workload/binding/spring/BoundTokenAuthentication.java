package io.tether.workload.binding.spring;

import java.util.Collection;

import io.tether.workload.binding.VerifiedToken;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * An authenticated request carrying a verified certificate-bound token: the principal is
 * the {@link VerifiedToken}, the name its subject (a SPIFFE ID for workloads), and the
 * authorities {@code SCOPE_<scope>} for each scope, as Spring Security's own resource
 * server names them.
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
