package io.tether.server.jwt;

import io.tether.server.jobs.JobRuns;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps a JWT-SVID signing key current and its successor published ahead of use, once
 * across replicas ({@link JwtAuthority#advance}).
 */
@Component
class JwtKeyRotation implements SmartInitializingSingleton {

	static final String NAME = "jwt-key-rotation";

	private final JwtAuthority authority;

	private final JobRuns runs;

	JwtKeyRotation(JwtAuthority authority, JobRuns runs) {
		this.authority = authority;
		this.runs = runs;
	}

	/**
	 * Creates the first key, if there is none, before the server answers: the SPIFFE
	 * bundle carries a JWT key from the first request on.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		this.authority.advance();
	}

	@Scheduled(initialDelayString = "${tether.jwt-svid.check-interval:PT1M}",
			fixedDelayString = "${tether.jwt-svid.check-interval:PT1M}")
	@SchedulerLock(name = NAME, lockAtMostFor = "PT10M")
	void rotate() {
		this.runs.run(NAME, true, () -> {
			int created = this.authority.advance();
			return (created > 0) ? created + " JWT signing key(s) created" : "nothing due";
		});
	}

}
