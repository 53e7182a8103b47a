package io.tether.cli;

import java.time.Duration;
import java.time.Instant;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "agent", mixinStandardHelpOptions = true, description = "Enrolled node agents.",
		subcommands = { AgentCommand.List.class, AgentCommand.Show.class, AgentCommand.Evict.class },
		footer = { "", "Example:", "  tether agent list" })
class AgentCommand extends GroupCommand {

	@Command(name = "list", mixinStandardHelpOptions = true,
			description = "Every enrolled agent, its status and when it was last seen.",
			footer = { "", "Example:", "  tether agent list -o json" })
	static class List extends ApiCommand {

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			JsonNode agents = api.get("/v1/agents");
			if (format == OutputFormat.JSON) {
				printJson(agents);
				return ExitCode.OK;
			}
			Instant now = Instant.now();
			Table table = new Table("NAME", "STATUS", "SPIFFE ID", "CERTIFICATE EXPIRES", "LAST SEEN");
			for (JsonNode agent : agents.path("agents")) {
				table.row(text(agent, "name"), text(agent, "status"), text(agent, "spiffeId"),
						Times.until(instant(agent, "certificateNotAfter"), now),
						Times.compact(Duration.between(instant(agent, "lastSeenAt"), now)) + " ago");
			}
			table.print(out());
			return ExitCode.OK;
		}

	}

	@Command(name = "show", mixinStandardHelpOptions = true, description = "One agent.",
			footer = { "", "Example:", "  tether agent show host-1" })
	static class Show extends ApiCommand {

		@Parameters(paramLabel = "NAME", description = "the agent's name")
		String name;

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			JsonNode agent = api.get("/v1/agents/" + ApiClient.segment(this.name));
			if (format == OutputFormat.JSON) {
				printJson(agent);
				return ExitCode.OK;
			}
			Instant now = Instant.now();
			new Details().add("name", text(agent, "name"))
				.add("status", text(agent, "status"))
				.add("SPIFFE ID", text(agent, "spiffeId"))
				.add("certificate", text(agent, "certificateSerial"))
				.add("expires", expiry(agent, "certificateNotAfter", now))
				.add("enrolled", text(agent, "enrolledAt"))
				.add("last seen", text(agent, "lastSeenAt"))
				.print(out());
			return ExitCode.OK;
		}

	}

	@Command(name = "evict", mixinStandardHelpOptions = true,
			description = "Evicts an agent: it can no longer renew, obtain certificates or re-enroll, and every "
					+ "certificate it obtained (its own and its workloads') is revoked.",
			footer = { "", "Example:", "  tether agent evict host-1" })
	static class Evict extends ApiCommand {

		@Parameters(paramLabel = "NAME", description = "the agent's name")
		String name;

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			JsonNode eviction = api.post("/v1/agents/" + ApiClient.segment(this.name) + "/evict", java.util.Map.of());
			if (format == OutputFormat.JSON) {
				printJson(eviction);
				return ExitCode.OK;
			}
			out().println("evicted agent " + this.name + "; revoked " + eviction.path("revokedCertificates").asInt()
					+ " certificate(s)");
			out().flush();
			return ExitCode.OK;
		}

	}

}
