package io.tether.authz;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The scheduled work: signing key rotation and the purge of expired tokens run once
 * across the instances sharing the database (a lock in {@code authz_shedlock}); reading
 * the signing keys runs on every instance. A failed run is logged and the next one tries
 * again.
 */
@Component
class AuthzJobs {

	private static final Logger logger = LoggerFactory.getLogger(AuthzJobs.class);

	private final SigningKeys keys;

	private final DatabaseAuthorizations authorizations;

	AuthzJobs(SigningKeys keys, DatabaseAuthorizations authorizations) {
		this.keys = keys;
		this.authorizations = authorizations;
	}

	@Scheduled(fixedDelayString = "${tether.authz.key-reload:PT10S}",
			initialDelayString = "${tether.authz.key-reload:PT10S}")
	@SchedulerLock(name = "authz-signing-key-rotation")
	void rotateSigningKeys() {
		try {
			this.keys.rotate();
			this.keys.reload();
		}
		catch (RuntimeException ex) {
			logger.error("Signing key rotation failed; it runs again at its next period", ex);
		}
	}

	@Scheduled(fixedDelayString = "${tether.authz.key-reload:PT10S}",
			initialDelayString = "${tether.authz.key-reload:PT10S}")
	void reloadSigningKeys() {
		try {
			this.keys.reload();
		}
		catch (RuntimeException ex) {
			logger.error("Cannot read the signing keys; this instance keeps the ones it has", ex);
		}
	}

	@Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
	@SchedulerLock(name = "authz-token-purge")
	void purgeExpiredTokens() {
		try {
			int purged = this.authorizations.purge();
			if (purged > 0) {
				logger.debug("Purged {} expired token(s)", purged);
			}
		}
		catch (RuntimeException ex) {
			logger.error("Purging expired tokens failed; it runs again at its next period", ex);
		}
	}

}
