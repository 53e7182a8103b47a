package io.tether.server.authority;

import java.time.Duration;
import java.util.Map;

import io.tether.server.TetherProperties;
import io.tether.server.jobs.JobRuns;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the intermediate current while the server runs: once across replicas, it rotates
 * the intermediate at half its life and retires expired ones; on every replica, it
 * reloads the hierarchy, so that a replica signs with the intermediate another one made
 * active.
 */
@Component
class IntermediateRotation {

	static final String ROTATION = "intermediate-rotation";

	static final String REFRESH = "authority-refresh";

	private final HierarchyAuthority authority;

	private final JobRuns runs;

	IntermediateRotation(HierarchyAuthority authority, JobRuns runs) {
		this.authority = authority;
		this.runs = runs;
	}

	@Scheduled(initialDelayString = "${tether.ca.rotation-check-interval:PT1M}",
			fixedDelayString = "${tether.ca.rotation-check-interval:PT1M}")
	@SchedulerLock(name = ROTATION, lockAtMostFor = "PT10M")
	void rotate() {
		this.runs.run(ROTATION, true, () -> {
			boolean rotated = this.authority.rotateIntermediateIfDue();
			int retired = this.authority.retireExpired();
			return (rotated ? "rotated the intermediate" : "intermediate not due")
					+ ((retired > 0) ? "; retired " + retired : "");
		});
	}

	@Scheduled(initialDelayString = "${tether.ca.rotation-check-interval:PT1M}",
			fixedDelayString = "${tether.ca.rotation-check-interval:PT1M}")
	void refresh() {
		this.runs.run(REFRESH, false, () -> {
			this.authority.reload();
			return "signing with intermediate " + this.authority.activeIntermediate().getSerialNumber().toString(16);
		});
	}

	/**
	 * Every leaf the intermediate signs must fit in the half of its life that remains at
	 * rotation (less one check interval), or a leaf would be cut short by its issuer.
	 * Refused at start ({@link HierarchyAuthority#start}), naming the settings.
	 */
	static void check(TetherProperties properties) {
		Duration room = Duration
			.ofMillis((long) (properties.ca().intermediateTtl().toMillis() * (1 - HierarchyAuthority.ROTATION_POINT)))
			.minus(properties.ca().rotationCheckInterval());
		Map<String, Duration> leaves = Map.of("tether.issuance.max-ttl", properties.issuance().maxTtl(),
				"tether.agent.ttl", properties.agent().ttl(), "tether.server.tls-ttl", properties.server().tlsTtl(),
				"tether.admin.ttl", properties.admin().ttl());
		leaves.forEach((name, ttl) -> {
			if (ttl.compareTo(room) > 0) {
				throw new IllegalStateException(name + " (" + ttl + ") is longer than the half of "
						+ "tether.ca.intermediate-ttl (" + properties.ca().intermediateTtl()
						+ ") left at rotation, less tether.ca.rotation-check-interval ("
						+ properties.ca().rotationCheckInterval() + "): leaves would be cut short by their "
						+ "issuer. Shorten it to at most " + room + " or lengthen the intermediate's life");
			}
		});
	}

}
