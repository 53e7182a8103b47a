package io.tether.agent;

import java.time.Clock;
import java.util.List;

/**
 * The agent daemon, assembled: its identity first (loaded, or enrolled with the join
 * token), then every configured workload, each kept renewed by one {@link RenewalLoop},
 * and the {@link BundleSync} that keeps them in step with the server's bundle. What talks
 * to the server, what schedules and what runs hooks are handed in, so that the whole
 * daemon runs in a test with a fake server and a clock moved by hand.
 */
final class Agent {

	private final AgentConfig config;

	private final CertificateAuthority ca;

	private final RenewalLoop loop;

	private final HookRunner hooks;

	private final Clock clock;

	private final Scheduler scheduler;

	private final AgentStatus status;

	Agent(AgentConfig config, CertificateAuthority ca, RenewalLoop loop, HookRunner hooks, Clock clock,
			Scheduler scheduler, AgentStatus status) {
		this.config = config;
		this.ca = ca;
		this.loop = loop;
		this.hooks = hooks;
		this.clock = clock;
		this.scheduler = scheduler;
		this.status = status;
	}

	/**
	 * Starts with the identity; the workloads and the sync start once it is in place,
	 * since every request for them is made with it.
	 */
	void start() {
		// the identity's callback starts the sync, which needs the identity: tied once
		// both
		// exist
		BundleSync[] sync = new BundleSync[1];
		List<WorkloadRenewal> workloads = this.config.workloads()
			.stream()
			.map((workload) -> new WorkloadRenewal(workload, new WorkloadState(this.config.dataDir(), workload),
					this.ca, this.hooks, this.clock, this.config.renewalFraction(), () -> sync[0].latest()))
			.toList();
		List<JwtSvidRenewal> tokens = this.config.workloads()
			.stream()
			.flatMap((workload) -> workload.jwtSvids()
				.stream()
				.map((output) -> new JwtSvidRenewal(workload, output, this.ca, this.scheduler, this.clock,
						new java.util.Random(), this.config.renewalFraction(), this.config.renewalJitter(),
						this.status)))
			.toList();
		IdentityRenewal identity = new IdentityRenewal(this.config, new IdentityStore(this.config.dataDir()), this.ca,
				this.clock, (ready) -> {
					workloads.forEach(this.loop::start);
					tokens.forEach(JwtSvidRenewal::start);
					sync[0].start();
				});
		sync[0] = new BundleSync(this.ca, this.scheduler, this.clock, this.config.syncInterval(), this.loop, identity,
				workloads, this.status);
		this.loop.start(identity);
	}

}
