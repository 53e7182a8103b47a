package io.tether.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

/**
 * {@code tether-agent [run] --config agent.yaml} runs the daemon;
 * {@code tether-agent status --config agent.yaml} prints what it holds.
 */
public final class TetherAgent {

	private TetherAgent() {
	}

	public static void main(String[] args) {
		String command = "run";
		Path config = null;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "run", "status" -> command = args[i];
				case "--config", "-c" -> {
					if (i + 1 >= args.length) {
						usage("--config needs a file");
					}
					config = Path.of(args[++i]);
				}
				case "--help", "-h" -> {
					usage(null);
				}
				default -> usage("unknown argument '" + args[i] + "'");
			}
		}
		if (config == null) {
			usage("--config FILE is required");
		}
		AgentConfig agentConfig;
		try {
			agentConfig = AgentConfig.load(config);
		}
		catch (AgentConfig.ConfigException ex) {
			System.err.println("tether-agent: " + ex.getMessage());
			System.exit(2);
			return;
		}
		if (command.equals("status")) {
			System.exit(status(agentConfig, System.out, System.err));
		}
		try {
			// what only the daemon reads (status may run as a user who cannot)
			agentConfig.checkFiles(config);
		}
		catch (AgentConfig.ConfigException ex) {
			System.err.println("tether-agent: " + ex.getMessage());
			System.exit(2);
			return;
		}
		System.exit(run(agentConfig));
	}

	private static int run(AgentConfig config) {
		// HttpsURLConnection would otherwise resend a POST (an issuance) by itself once
		// when a connection fails before the answer; the agent's backoff decides instead
		System.setProperty("sun.net.http.retryPost", "false");
		Clock clock = Clock.systemUTC();
		AgentStatus status = new AgentStatus(config.dataDir(), clock);
		CountDownLatch stopped = new CountDownLatch(1);
		AtomicBoolean fatal = new AtomicBoolean();
		Scheduler.SingleThread scheduler = Scheduler.singleThread("tether-agent-renewal");
		HookRunner hooks = HookRunner.threads();
		RenewalLoop loop = new RenewalLoop(scheduler, clock, RandomGenerator.getDefault(), config.renewalFraction(),
				config.renewalJitter(), status, () -> {
					fatal.set(true);
					stopped.countDown();
				});
		Agent agent = new Agent(config, new HttpCertificateAuthority(config.servers()), loop, hooks, clock, scheduler,
				status);
		Runnable stop = () -> {
			scheduler.close();
			hooks.close();
			status.close();
		};
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			stop.run();
			stopped.countDown();
		}, "tether-agent-shutdown"));
		try {
			if (config.statusPort() > 0) {
				status.serve(config.statusPort());
			}
		}
		catch (IOException ex) {
			System.err
				.println("tether-agent: cannot listen on 127.0.0.1:" + config.statusPort() + ": " + ex.getMessage());
			return 1;
		}
		Log.info("agent starting servers=" + config.servers() + " dataDir=" + config.dataDir() + " workloads="
				+ config.workloads().size() + " syncInterval=" + config.syncInterval());
		agent.start();
		try {
			stopped.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (fatal.get()) {
			stop.run();
			return 1;
		}
		return 0;
	}

	static int status(AgentConfig config, PrintStream out, PrintStream err) {
		if (!Files.exists(config.dataDir().resolve("status.json"))) {
			err.println("tether-agent: no status in " + config.dataDir() + ": the agent has not run yet");
			return 3;
		}
		AgentStatus.Snapshot snapshot;
		try {
			snapshot = AgentStatus.read(config.dataDir());
		}
		catch (IOException | RuntimeException ex) {
			err.println("tether-agent: cannot read status from " + config.dataDir() + ": " + ex.getMessage());
			return 1;
		}
		Instant now = Instant.now();
		snapshot.certificates()
			.stream()
			.filter((item) -> item.name().equals("agent"))
			.findFirst()
			.ifPresent(
					(agent) -> out.println("agent: " + ((agent.condition() != null) ? agent.condition() : "normal")));
		out.printf("%-8s %-48s %-12s %-22s %-10s %s%n", "NAME", "SPIFFE ID", "EXPIRES IN", "NEXT ATTEMPT", "FAILURES",
				"LAST ERROR");
		for (AgentStatus.Item item : snapshot.certificates()) {
			String left = (item.notAfter() != null) ? human(Duration.between(now, item.notAfter())) : "-";
			boolean token = item.name().contains(" jwt-svid ");
			String kind = item.name().equals("agent") ? "agent" : token ? "jwt-svid" : "workload";
			String id = token ? item.name().replace(" jwt-svid ", " aud=")
					: (item.spiffeId() != null) ? item.spiffeId() : item.name();
			out.printf("%-8s %-48s %-12s %-22s %-10d %s%n", kind, id, left,
					(item.nextAttempt() != null) ? item.nextAttempt().truncatedTo(ChronoUnit.SECONDS).toString() : "-",
					item.consecutiveFailures(), (item.lastError() != null) ? item.lastError() : "");
		}
		AgentStatus.Sync sync = snapshot.sync();
		out.println();
		if (sync == null) {
			out.println("LAST SYNC   never");
			return 0;
		}
		out.println("LAST SYNC   " + sync.at().truncatedTo(ChronoUnit.SECONDS) + " ("
				+ human(Duration.between(sync.at(), now)) + " ago) " + sync.outcome()
				+ ((sync.error() != null) ? ": " + sync.error() : ""));
		for (String root : sync.roots()) {
			out.println("ROOT        " + root);
		}
		return 0;
	}

	private static String human(Duration duration) {
		if (duration.isNegative()) {
			return "EXPIRED";
		}
		long seconds = duration.toSeconds();
		if (seconds < 120) {
			return seconds + "s";
		}
		if (seconds < 7200) {
			return (seconds / 60) + "m";
		}
		return (seconds / 3600) + "h" + ((seconds % 3600) / 60) + "m";
	}

	private static void usage(String error) {
		PrintStream out = (error != null) ? System.err : System.out;
		if (error != null) {
			out.println("tether-agent: " + error);
		}
		out.println("usage: tether-agent [run] --config agent.yaml    run the agent");
		out.println("       tether-agent status --config agent.yaml   show the certificates it keeps");
		System.exit((error != null) ? 2 : 0);
	}

}
