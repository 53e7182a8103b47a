package io.tether.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "audit", mixinStandardHelpOptions = true, description = "The audit log.",
		subcommands = AuditCommand.List.class, footer = { "", "Example:", "  tether audit list --since 1h" })
class AuditCommand extends GroupCommand {

	@Command(name = "list", mixinStandardHelpOptions = true,
			description = "Audit events since a time, oldest first (the most recent --limit).",
			footer = { "", "Example:", "  tether audit list --since 1h", "  tether audit list --action entry.created",
					"  tether audit list --since 2026-11-25T08:00:00Z -o json" })
	static class List extends ApiCommand {

		@Option(names = "--since", paramLabel = "WHEN", defaultValue = "24h",
				description = "a duration back from now (1h, 30m) or an instant (default ${DEFAULT-VALUE})")
		String since;

		@Option(names = "--action", paramLabel = "ACTION", description = "only this action, like certificate.issued")
		String action;

		@Mixin
		LimitOption limit;

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			JsonNode events = api.get("/v1/audit"
					+ ApiClient.query("since", this.since, "action", this.action, "limit", this.limit.value));
			if (format == OutputFormat.JSON) {
				printJson(events);
				return ExitCode.OK;
			}
			Table table = new Table("TIME", "ACTOR", "ACTION", "SUBJECT", "DETAIL");
			for (JsonNode event : events.path("events")) {
				table.row(text(event, "occurredAt"), text(event, "actor"), text(event, "action"),
						text(event, "subject"), text(event, "detail"));
			}
			table.print(out());
			return ExitCode.OK;
		}

	}

}
