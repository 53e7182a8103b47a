package io.tether.authz;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataRetrievalFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Issued tokens in the database ({@code oauth2_authorization}, Spring's
 * {@link JdbcOAuth2AuthorizationService}), so that any instance introspects and revokes
 * what another issued, and a restart forgets nothing. Expired ones are purged in batches.
 */
final class DatabaseAuthorizations implements OAuth2AuthorizationService {

	private static final Logger logger = LoggerFactory.getLogger(DatabaseAuthorizations.class);

	/** How long past its expiry a row stays: room for clock skew between instances. */
	private static final Duration GRACE = Duration.ofMinutes(5);

	private static final int BATCH = 1000;

	private static final OAuth2TokenType AUTHORIZATION_CODE = new OAuth2TokenType(OAuth2ParameterNames.CODE);

	private final JdbcOAuth2AuthorizationService store;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	DatabaseAuthorizations(JdbcTemplate jdbc, RegisteredClientRepository clients, Clock clock) {
		this.store = new JdbcOAuth2AuthorizationService(jdbc, clients);
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Override
	public void save(OAuth2Authorization authorization) {
		this.store.save(authorization);
	}

	@Override
	public void remove(OAuth2Authorization authorization) {
		this.store.remove(authorization);
	}

	@Override
	public OAuth2Authorization findById(String id) {
		return known(() -> this.store.findById(id));
	}

	/**
	 * Access tokens (introspection, revocation) and authorization codes (a public
	 * client's token request) are looked up by their indexed columns; a token without a
	 * type hint is taken for an access token, rather than searched for by an OR over
	 * every token column that no index serves.
	 */
	@Override
	public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
		OAuth2TokenType type = (tokenType != null) ? tokenType : OAuth2TokenType.ACCESS_TOKEN;
		if (!OAuth2TokenType.ACCESS_TOKEN.equals(type) && !AUTHORIZATION_CODE.equals(type)) {
			return null;
		}
		return known(() -> this.store.findByToken(token, type));
	}

	/**
	 * A token of a client no longer in {@code tether.authz.clients} is unknown, not an
	 * error: Spring's store throws when the row's client cannot be found.
	 */
	private static OAuth2Authorization known(Supplier<OAuth2Authorization> lookup) {
		try {
			return lookup.get();
		}
		catch (DataRetrievalFailureException ex) {
			logger.debug("Authorization of an unknown client: {}", ex.getMessage());
			return null;
		}
	}

	/**
	 * Deletes the authorizations whose access token expired, and those whose
	 * authorization code expired unredeemed, a batch at a time so that no transaction
	 * holds many rows.
	 * @return how many were deleted
	 */
	int purge() {
		Timestamp before = Timestamp.from(this.clock.instant().minus(GRACE));
		int total = 0;
		int deleted;
		do {
			deleted = this.jdbc.update("delete from oauth2_authorization where id in (select id from"
					+ " oauth2_authorization where access_token_expires_at < ? or (access_token_expires_at is null"
					+ " and authorization_code_expires_at < ?) fetch first " + BATCH + " rows only)", before, before);
			total += deleted;
		}
		while (deleted == BATCH);
		return total;
	}

	int size() {
		Integer count = this.jdbc.queryForObject("select count(*) from oauth2_authorization", Integer.class);
		return (count != null) ? count : 0;
	}

}
