package io.tether.cli;

import io.tether.api.JoinToken;
import io.tether.api.JoinTokenRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

		@Option(names = "--ttl", paramLabel = "DURATION", converter = DurationText.class,
				description = "how long it stays valid (default 15m)")
		String ttl;

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			ApiClient.Reply<JoinToken> token = api.post("/v1/join-tokens", new JoinTokenRequest(this.agent, this.ttl),
					JoinToken.class);
			if (format == OutputFormat.JSON) {
				printJson(token.json());
			}
			else {
				out().println(token.value().token());
				out().flush();
			}
			return ExitCode.OK;
		}

	}

}
