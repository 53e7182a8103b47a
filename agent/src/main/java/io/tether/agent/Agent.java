package io.tether.agent;

import java.time.Clock;

/**
 * The agent daemon, assembled: its identity first (loaded, or enrolled with the join
 * token), then every configured workload, each kept renewed by one {@link RenewalLoop}.
 * What talks to the server, what schedules and what runs hooks are handed in, so that the
 * whole daemon runs in a test with a fake server and a clock moved by hand.
 */
final class Agent {

	private final AgentConfig config;

	private final CertificateAuthority ca;

	private final RenewalLoop loop;

	private final HookRunner hooks;

	private final Clock clock;

	Agent(AgentConfig config, CertificateAuthority ca, RenewalLoop loop, HookRunner hooks, Clock clock) {
		this.config = config;
		this.ca = ca;
		this.loop = loop;
		this.hooks = hooks;
		this.clock = clock;
	}

	/**
	 * Starts with the identity; the workloads start once it is in place, since every
	 * request for them is made with it.
	 */
	void start() {
		this.loop.start(new IdentityRenewal(this.config, new IdentityStore(this.config.dataDir()), this.ca, this.clock,
				(identity) -> startWorkloads()));
	}

	private void startWorkloads() {
		for (AgentConfig.Workload workload : this.config.workloads()) {
			this.loop.start(new WorkloadRenewal(workload, new WorkloadState(this.config.dataDir(), workload), this.ca,
					this.hooks, this.clock, this.config.renewalFraction()));
		}
	}

}
