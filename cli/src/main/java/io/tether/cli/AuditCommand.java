package io.tether.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.tether.api.AuditEventView;
import io.tether.api.AuditList;
import io.tether.api.AuditVerification;
import io.tether.api.Durations;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "audit", mixinStandardHelpOptions = true, description = "The audit log.",
		subcommands = { AuditCommand.List.class, AuditCommand.Verify.class, AuditCommand.Export.class },
		footer = { "", "Example:", "  tether audit list --since 1h", "  tether audit verify",
				"  tether audit export --since 24h > audit.jsonl" })
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

	@Command(name = "verify", mixinStandardHelpOptions = true,
			description = { "Checks the audit log's hash chain and signed checkpoints on the server.",
					"Exits 0 when intact, 1 with the first problem found (an event altered, inserted or deleted,"
							+ " a checkpoint forged or not matching)." },
			footer = { "", "Example:", "  tether audit verify", "  tether audit verify -o json --timeout 2h" })
	static class Verify extends ApiCommand {

		@Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m", converter = DurationText.class,
				description = "how long to wait for the server's answer: it reads the whole log first"
						+ " (default: ${DEFAULT-VALUE})")
		String timeout;

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			// the server reads the whole log before it answers
			ApiClient.Reply<AuditVerification> reply = api.getSlow("/v1/audit/verify", AuditVerification.class,
					Durations.parse(this.timeout));
			AuditVerification verification = reply.value();
			if (format == OutputFormat.JSON) {
				printJson(reply.json());
			}
			else {
				out().println(summary(verification));
				out().flush();
			}
			return verification.ok() ? ExitCode.OK : ExitCode.FAILED;
		}

		static String summary(AuditVerification verification) {
			StringBuilder text = new StringBuilder();
			if (verification.ok()) {
				text.append("OK: ");
				text.append((verification.verified() == 0) ? "no sealed events"
						: verification.verified() + " events verified, sequences " + verification.firstSequence()
								+ " to " + verification.lastSequence());
			}
			else {
				AuditVerification.Problem problem = verification.problem();
				text.append("FAILED: ").append(problem.kind());
				if (problem.sequence() != null) {
					text.append(" at sequence ").append(problem.sequence());
				}
				if (problem.eventId() != null) {
					text.append(" (event ").append(problem.eventId()).append(")");
				}
				text.append(": ").append(problem.message());
				if (verification.verified() > 0) {
					text.append(System.lineSeparator())
						.append("verified before it: ")
						.append(verification.verified())
						.append(" events, sequences ")
						.append(verification.firstSequence())
						.append(" to ")
						.append(verification.lastSequence());
				}
			}
			if (verification.purgedThrough() != null) {
				text.append(System.lineSeparator())
					.append("purged by retention through sequence ")
					.append(verification.purgedThrough());
			}
			AuditVerification.Checkpoint checkpoint = verification.lastCheckpoint();
			text.append(System.lineSeparator())
				.append("last checkpoint: ")
				.append((checkpoint != null)
						? checkpoint.kind() + " at sequence " + checkpoint.sequence() + ", " + checkpoint.createdAt()
						: "none yet");
			if (verification.unsealed() > 0) {
				text.append(System.lineSeparator())
					.append("not sealed yet: ")
					.append(verification.unsealed())
					.append(" events");
			}
			return text.toString();
		}

	}

	@Command(name = "export", mixinStandardHelpOptions = true,
			description = { "The sealed audit log as JSON Lines, one event a line with its sequence number and hashes,"
					+ " oldest first, for a SIEM or an archive. Written as it arrives, to standard output"
					+ " or --file." },
			footer = { "", "Example:", "  tether audit export > audit.jsonl",
					"  tether audit export --since 24h --file audit-today.jsonl",
					"  tether audit export --after 120000 >> audit.jsonl" })
	static class Export extends ApiCommand {

		@Option(names = "--since", paramLabel = "WHEN", converter = DurationText.OrInstant.class,
				description = "from the first event that occurred at or after a duration back from now (1h) or an"
						+ " instant; default: the whole log")
		String since;

		@Option(names = "--after", paramLabel = "SEQUENCE",
				description = "only the events after this sequence number (the last one a previous export wrote)")
		Long after;

		@Option(names = "--file", paramLabel = "FILE", description = "write to this file instead of standard output")
		Path file;

		@Override
		int run(ApiClient api) {
			if (this.since != null && this.after != null) {
				throw new CommandLine.ParameterException(this.spec.commandLine(), "Give --since or --after, not both");
			}
			format(OutputFormat.JSON, OutputFormat.JSON);
			String path = "/v1/audit/export" + ApiClient.query("since", this.since, "after", this.after);
			if (this.file == null) {
				PrintWriter out = out();
				api.getLines(path, "application/x-ndjson", out::println);
				out.flush();
				return ExitCode.OK;
			}
			try (Writer writer = Files.newBufferedWriter(this.file, StandardCharsets.UTF_8)) {
				long lines = api.getLines(path, "application/x-ndjson", (line) -> {
					try {
						writer.write(line);
						writer.write('\n');
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				});
				this.spec.commandLine().getErr().println("Wrote " + lines + " audit events to " + this.file);
			}
			catch (IOException | UncheckedIOException ex) {
				throw new CliException(ExitCode.FAILED, "Cannot write " + this.file + ": " + ex.getMessage());
			}
			return ExitCode.OK;
		}

	}

}
