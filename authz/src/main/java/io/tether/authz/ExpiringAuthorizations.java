package io.tether.authz;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Issued tokens, kept in memory for introspection until their access token expires, then
 * dropped. Spring's in-memory store keeps every completed authorization forever: with
 * short-lived tokens for many workloads that is a leak, not a cache.
 */
final class ExpiringAuthorizations implements OAuth2AuthorizationService {

	private final InMemoryOAuth2AuthorizationService store = new InMemoryOAuth2AuthorizationService();

	private final Map<String, Instant> expiries = new ConcurrentHashMap<>();

	private final Clock clock;

	ExpiringAuthorizations(Clock clock) {
		this.clock = clock;
	}

	@Override
	public void save(OAuth2Authorization authorization) {
		this.store.save(authorization);
		OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
		if (access != null && access.getToken().getExpiresAt() != null) {
			this.expiries.put(authorization.getId(), access.getToken().getExpiresAt());
		}
	}

	@Override
	public void remove(OAuth2Authorization authorization) {
		this.store.remove(authorization);
		this.expiries.remove(authorization.getId());
	}

	@Override
	public OAuth2Authorization findById(String id) {
		return this.store.findById(id);
	}

	@Override
	public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
		return this.store.findByToken(token, tokenType);
	}

	/**
	 * Drops every authorization whose access token has expired.
	 * @return how many were dropped
	 */
	@Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
	int purge() {
		Instant now = this.clock.instant();
		int purged = 0;
		for (Map.Entry<String, Instant> entry : this.expiries.entrySet()) {
			if (now.isAfter(entry.getValue())) {
				OAuth2Authorization authorization = this.store.findById(entry.getKey());
				if (authorization != null) {
					this.store.remove(authorization);
				}
				this.expiries.remove(entry.getKey());
				purged++;
			}
		}
		return purged;
	}

	int size() {
		return this.expiries.size();
	}

}
