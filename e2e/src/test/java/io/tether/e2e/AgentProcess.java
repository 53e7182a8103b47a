package io.tether.e2e;

import java.nio.file.Path;
import java.util.List;

/**
 * How the tests start the agent jar: with the JVM options bin/tether-agent uses
 * (agent/jvm.options, a 16 MiB heap), so every scenario also shows the agent works in the
 * memory the launcher gives it.
 */
final class AgentProcess {

	private AgentProcess() {
	}

	static List<String> command(Path config) {
		Path options = Path.of(System.getProperty("tether.repository"), "agent", "jvm.options");
		return List.of(System.getProperty("tether.java"), "@" + options, "-jar", System.getProperty("tether.agent.jar"),
				"--config", config.toString());
	}

}
