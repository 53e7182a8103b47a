package io.tether.server.authority;

import java.time.Duration;
import java.util.Map;

import io.tether.server.TetherProperties;
import io.tether.server.jobs.JobRuns;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the CA hierarchy on its rotation schedule while the server runs
 * ({@link RotationPlan}): once across replicas, it takes the steps that are due; on every
 * replica, it reloads the hierarchy, so that a replica signs with the intermediate
 * another one made active and trusts the roots another one prepared.
 */
@Component
class CaRotation {

	static final String ROTATION = "ca-rotation";

	static final String REFRESH = "authority-refresh";

	private final HierarchyAuthority authority;

	private final JobRuns runs;

	CaRotation(HierarchyAuthority authority, JobRuns runs) {
		this.authority = authority;
		this.runs = runs;
	}

	@Scheduled(initialDelayString = "${tether.ca.rotation-check-interval:PT1M}",
			fixedDelayString = "${tether.ca.rotation-check-interval:PT1M}")
	@SchedulerLock(name = ROTATION, lockAtMostFor = "PT10M")
	void rotate() {
		this.runs.run(ROTATION, true, () -> {
			int steps = this.authority.advance();
			return (steps > 0) ? steps + " rotation step(s) taken" : "nothing due";
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
	 * Refuses, at start ({@link HierarchyAuthority#start}) and naming the settings, the
	 * lifetimes with which the rotation schedule cannot hold: a leaf must fit in the half
	 * of an intermediate's life left at hand-over, less one check interval (or it would
	 * be cut short by its issuer); a root must hold three intermediate lives (one to
	 * serve, two to hand over to its successor); and the check must run several times
	 * within the publication lead, or a prepared authority could be used before it was
	 * published.
	 */
	static void check(TetherProperties properties) {
		TetherProperties.Ca ca = properties.ca();
		Duration lead = RotationPlan.publicationLead(ca.intermediateTtl());
		if (ca.rotationCheckInterval().compareTo(lead.dividedBy(2)) > 0) {
			throw new IllegalStateException("tether.ca.rotation-check-interval (" + ca.rotationCheckInterval()
					+ ") is longer than half the publication lead (" + lead + ", a sixth of "
					+ "tether.ca.intermediate-ttl " + ca.intermediateTtl() + "): a prepared intermediate could "
					+ "sign before relying parties have it. Shorten it to at most " + lead.dividedBy(2));
		}
		Duration rootNeeds = ca.intermediateTtl().multipliedBy(RotationPlan.ROOT_PREPARE_LIVES + 1);
		if (ca.rootTtl().compareTo(rootNeeds) < 0) {
			throw new IllegalStateException("tether.ca.root-ttl (" + ca.rootTtl() + ") is shorter than three times "
					+ "tether.ca.intermediate-ttl (" + ca.intermediateTtl() + "): a root must serve one "
					+ "intermediate life and hand over during two more. Lengthen it to at least " + rootNeeds
					+ " or shorten the intermediate's life");
		}
		Duration room = Duration
			.ofMillis((long) (ca.intermediateTtl().toMillis() * (1 - RotationPlan.ACTIVATION_POINT)))
			.minus(ca.rotationCheckInterval());
		Map<String, Duration> leaves = Map.of("tether.issuance.max-ttl", properties.issuance().maxTtl(),
				"tether.agent.ttl", properties.agent().ttl(), "tether.server.tls-ttl", properties.server().tlsTtl(),
				"tether.admin.ttl", properties.admin().ttl());
		leaves.forEach((name, ttl) -> {
			if (ttl.compareTo(room) > 0) {
				throw new IllegalStateException(name + " (" + ttl + ") is longer than the half of "
						+ "tether.ca.intermediate-ttl (" + ca.intermediateTtl()
						+ ") left at rotation, less tether.ca.rotation-check-interval (" + ca.rotationCheckInterval()
						+ "): leaves would be cut short by their issuer. Shorten it to at most " + room
						+ " or lengthen the intermediate's life");
			}
		});
	}

}
