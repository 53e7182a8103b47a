package io.tether.cli;

import java.time.Duration;
import java.time.Instant;

import io.tether.api.AgentList;
import io.tether.api.AgentView;
import io.tether.api.Eviction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

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
			ApiClient.Reply<AgentList> agents = api.get("/v1/agents", AgentList.class);
			if (format == OutputFormat.JSON) {
				printJson(agents.json());
				return ExitCode.OK;
			}
			Instant now = Instant.now();
			Table table = new Table("NAME", "STATUS", "SPIFFE ID", "CERTIFICATE EXPIRES", "LAST SEEN");
			for (AgentView agent : agents.value().agents()) {
				table.row(agent.name(), agent.status(), agent.spiffeId(), Times.until(agent.certificateNotAfter(), now),
						Times.compact(Duration.between(agent.lastSeenAt(), now)) + " ago");
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
			ApiClient.Reply<AgentView> reply = api.get("/v1/agents/" + ApiClient.segment(this.name), AgentView.class);
			if (format == OutputFormat.JSON) {
				printJson(reply.json());
				return ExitCode.OK;
			}
			AgentView agent = reply.value();
			new Details().add("name", agent.name())
				.add("status", agent.status())
				.add("SPIFFE ID", agent.spiffeId())
				.add("certificate", agent.certificateSerial())
				.add("expires", expiry(agent.certificateNotAfter(), Instant.now()))
				.add("enrolled", agent.enrolledAt())
				.add("last seen", agent.lastSeenAt())
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
			ApiClient.Reply<Eviction> eviction = api.post("/v1/agents/" + ApiClient.segment(this.name) + "/evict",
					Eviction.class);
			if (format == OutputFormat.JSON) {
				printJson(eviction.json());
				return ExitCode.OK;
			}
			out().println("evicted agent " + this.name + "; revoked " + eviction.value().revokedCertificates()
					+ " certificate(s)");
			out().flush();
			return ExitCode.OK;
		}

	}

}
