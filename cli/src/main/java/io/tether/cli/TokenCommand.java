package io.tether.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "token", mixinStandardHelpOptions = true, description = "One-time join tokens for agents.",
		subcommands = TokenCommand.Create.class,
		footer = { "", "Example:", "  TOKEN=$(tether token create --agent host-1)" })
class TokenCommand extends GroupCommand {

	@Command(name = "create", mixinStandardHelpOptions = true,
			description = "A join token for one agent name: single use, expiring. Prints only the token "
					+ "(for $(...)); -o json adds the agent and expiry.",
			footer = { "", "Example:", "  TOKEN=$(tether token create --agent host-1 --ttl 15m)" })
	static class Create extends ApiCommand {

		@Option(names = "--agent", required = true, paramLabel = "NAME", description = "the agent that may use it")
		String agent;

		@Option(names = "--ttl", paramLabel = "DURATION", description = "how long it stays valid (default 15m)")
		String ttl;

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("agent", this.agent);
			if (this.ttl != null) {
				body.put("ttl", this.ttl);
			}
			JsonNode token = api.post("/v1/join-tokens", body);
			if (format == OutputFormat.JSON) {
				printJson(token);
			}
			else {
				out().println(text(token, "token"));
				out().flush();
			}
			return ExitCode.OK;
		}

	}

}
