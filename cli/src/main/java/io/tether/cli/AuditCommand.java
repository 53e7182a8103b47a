package io.tether.cli;

import io.tether.api.AuditEventView;
import io.tether.api.AuditList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "audit", mixinStandardHelpOptions = true, description = "The audit log.",
		subcommands = AuditCommand.List.class, footer = { "", "Example:", "  tether audit list --since 1h" })
class AuditCommand extends GroupCommand {

	@Command(name = "list", mixinStandardHelpOptions = true,
			description = "Audit events since a time, oldest first (the most recent --limit).",
			footer = { "", "Example:", "  tether audit list --since 1h", "  tether audit list --action entry.created",
					"  tether audit list --since 2026-11-25T08:00:00Z -o json" })
	static class List extends ApiCommand {

		@Option(names = "--since", paramLabel = "WHEN", defaultValue = "24h", converter = DurationText.OrInstant.class,
				description = "a duration back from now (1h, 30m) or an instant (default ${DEFAULT-VALUE})")
		String since;

		@Option(names = "--action", paramLabel = "ACTION", description = "only this action, like certificate.issued")
		String action;

		@Mixin
		LimitOption limit;

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			ApiClient.Reply<AuditList> events = api.get(
					"/v1/audit"
							+ ApiClient.query("since", this.since, "action", this.action, "limit", this.limit.value),
					AuditList.class);
			if (format == OutputFormat.JSON) {
				printJson(events.json());
				return ExitCode.OK;
			}
			Table table = new Table("TIME", "ACTOR", "ACTION", "SUBJECT", "DETAIL");
			for (AuditEventView event : events.value().events()) {
				table.row(event.occurredAt(), event.actor(), event.action(), event.subject(), event.detail());
			}
			table.print(out());
			return ExitCode.OK;
		}

	}

}
