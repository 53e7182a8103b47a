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
 * again; a successful one sets {@code tether_job_last_success_seconds} for its job
 * ({@link AuthzMetrics#jobSucceeded}).
 */
@Component
class AuthzJobs {

	private static final Logger logger = LoggerFactory.getLogger(AuthzJobs.class);

	static final String ROTATION = "authz-signing-key-rotation";

	static final String RELOAD = "authz-signing-key-reload";

	static final String PURGE = "authz-token-purge";

	private final SigningKeys keys;

	private final DatabaseAuthorizations authorizations;

	private final AuthzMetrics metrics;

	AuthzJobs(SigningKeys keys, DatabaseAuthorizations authorizations, AuthzMetrics metrics) {
		this.keys = keys;
		this.authorizations = authorizations;
		this.metrics = metrics;
	}

	@Scheduled(fixedDelayString = "${tether.authz.key-reload:PT10S}",
			initialDelayString = "${tether.authz.key-reload:PT10S}")
	@SchedulerLock(name = ROTATION)
	void rotateSigningKeys() {
		try {
			this.keys.rotate();
			this.keys.reload();
			this.metrics.jobSucceeded(ROTATION);
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
			this.metrics.jobSucceeded(RELOAD);
		}
		catch (RuntimeException ex) {
			logger.error("Cannot read the signing keys; this instance keeps the ones it has", ex);
		}
	}

	// a knob for tests that cannot wait a minute; not in AuthzProperties
	@Scheduled(fixedDelayString = "${tether.authz.token-purge-interval:PT1M}",
			initialDelayString = "${tether.authz.token-purge-interval:PT1M}")
	@SchedulerLock(name = PURGE)
	void purgeExpiredTokens() {
		try {
			int purged = this.authorizations.purge();
			if (purged > 0) {
				logger.debug("Purged {} expired token(s)", purged);
			}
			this.metrics.jobSucceeded(PURGE);
		}
		catch (RuntimeException ex) {
			logger.error("Purging expired tokens failed; it runs again at its next period", ex);
		}
	}

}
