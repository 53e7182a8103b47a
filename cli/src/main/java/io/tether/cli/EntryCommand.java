package io.tether.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;

import io.tether.api.Entry;
import io.tether.api.EntryDeletion;
import io.tether.api.EntryList;
import io.tether.api.EntryRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "entry", mixinStandardHelpOptions = true,
		description = "Registration entries: which SPIFFE IDs an agent may obtain.",
		subcommands = { EntryCommand.Create.class, EntryCommand.List.class, EntryCommand.Delete.class }, footer = { "",
				"Example:", "  tether entry create spiffe://tether.internal/ns/web --agent host-1 --dns web.internal" })
class EntryCommand extends GroupCommand {

	static void print(Entry entry, PrintWriter out) {
		new Details().add("id", entry.id())
			.add("SPIFFE ID", entry.spiffeId())
			.add("agent", entry.agent())
			.add("DNS names", ApiCommand.joined(entry.dnsNames()))
			.add("TTL", DurationText.shorthand(entry.ttl()))
			.add("subject", (entry.subject() != null) ? entry.subject() : "")
			.add("JWT audiences",
					ApiCommand.joined((entry.audiences() != null) ? entry.audiences() : java.util.List.of()))
			.add("created", entry.createdAt() + " by " + entry.createdBy())
			.print(out);
	}

	@Command(name = "create", mixinStandardHelpOptions = true,
			description = "Lets an agent obtain certificates for a SPIFFE ID. The issuance policy is checked now, "
					+ "not at the first renewal.",
			footer = { "", "Example:",
					"  tether entry create spiffe://tether.internal/ns/web --agent host-1 --dns web.internal --ttl 1h",
					"  tether entry create spiffe://tether.internal/ns/orders --agent host-1 \\",
					"      --subject 'CN=orders,OU=payments,O=Example Corp' --audience orders" })
	static class Create extends ApiCommand {

		@Parameters(paramLabel = "SPIFFE_ID", description = "the workload's SPIFFE ID")
		String spiffeId;

		@Option(names = "--agent", required = true, paramLabel = "NAME", description = "the agent that may obtain it")
		String agent;

		@Option(names = "--dns", paramLabel = "NAME", description = "a DNS name for the certificate (repeatable)")
		java.util.List<String> dnsNames = new ArrayList<>();

		@Option(names = "--ttl", paramLabel = "DURATION", converter = DurationText.class,
				description = "certificate lifetime, like 30m, 1h or PT1H (default: the server's)")
		String ttl;

		@Option(names = "--subject", paramLabel = "DN",
				description = "the certificates' subject, RFC 4514, like 'CN=orders,OU=payments,O=Example Corp' "
						+ "(default: CN=<SPIFFE ID path>,O=<trust domain>)")
		String subject;

		@Option(names = "--audience", paramLabel = "AUDIENCE",
				description = "an audience the agent may obtain JWT-SVIDs for (repeatable)")
		java.util.List<String> audiences = new ArrayList<>();

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			ApiClient.Reply<Entry> entry = api.post("/v1/entries", new EntryRequest(this.spiffeId, this.agent,
					this.dnsNames, this.ttl, this.subject, this.audiences.isEmpty() ? null : this.audiences),
					Entry.class);
			if (format == OutputFormat.JSON) {
				printJson(entry.json());
			}
			else {
				print(entry.value(), out());
			}
			return ExitCode.OK;
		}

	}

	@Command(name = "list", mixinStandardHelpOptions = true,
			description = "Registration entries, of one agent or of all.",
			footer = { "", "Example:", "  tether entry list --agent host-1" })
	static class List extends ApiCommand {

		@Option(names = "--agent", paramLabel = "NAME", description = "only this agent's entries")
		String agent;

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			ApiClient.Reply<EntryList> entries = api.get("/v1/entries" + ApiClient.query("agent", this.agent),
					EntryList.class);
			if (format == OutputFormat.JSON) {
				printJson(entries.json());
				return ExitCode.OK;
			}
			Table table = new Table("ID", "SPIFFE ID", "AGENT", "DNS NAMES", "TTL", "SUBJECT");
			for (Entry entry : entries.value().entries()) {
				table.row(entry.id(), entry.spiffeId(), entry.agent(), joined(entry.dnsNames()),
						DurationText.shorthand(entry.ttl()), (entry.subject() != null) ? entry.subject() : "");
			}
			table.print(out());
			return ExitCode.OK;
		}

	}

	@Command(name = "delete", mixinStandardHelpOptions = true,
			description = "Deletes an entry: its agent gets no new certificate for it. Certificates already "
					+ "issued for it stay valid until they expire, unless --revoke revokes them with the entry.",
			footer = { "", "Example:", "  tether entry delete 0b6f3c1e-8d2a-4f7e-9c61-2a5d8e4b7f10",
					"  tether entry delete 0b6f3c1e-8d2a-4f7e-9c61-2a5d8e4b7f10 --revoke" })
	static class Delete extends ApiCommand {

		@Parameters(paramLabel = "ID", description = "the entry's id (tether entry list)")
		String id;

		@Option(names = "--revoke",
				description = "also revoke the unexpired certificates the entry's agent obtained for it "
						+ "(reason cessationOfOperation)")
		boolean revoke;

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			ApiClient.Reply<EntryDeletion> reply = api.delete(
					"/v1/entries/" + ApiClient.segment(this.id) + (this.revoke ? "?revoke=true" : ""),
					EntryDeletion.class);
			if (format == OutputFormat.JSON) {
				printJson(reply.json());
				return ExitCode.OK;
			}
			EntryDeletion deleted = reply.value();
			PrintWriter out = out();
			out.println(
					"deleted entry " + deleted.id() + " (" + deleted.spiffeId() + ", agent " + deleted.agent() + ")");
			if (this.revoke) {
				out.println("revoked " + certificates(deleted.revoked()) + " issued for it");
			}
			if (deleted.liveCertificates() > 0) {
				// the entry is gone, so the way to end them now is one revocation each
				out.println(certificates(deleted.liveCertificates()) + " issued for " + deleted.spiffeId()
						+ " to agent " + deleted.agent() + ((deleted.liveCertificates() == 1) ? " stays" : " stay")
						+ " valid until " + ApiCommand.expiry(deleted.liveUntil(), Instant.now())
						+ "; to end them sooner:");
				out.println("  tether cert list --spiffe-id " + deleted.spiffeId() + " --agent " + deleted.agent()
						+ " --status valid");
				out.println("  tether cert revoke SERIAL --reason cessationOfOperation");
			}
			out.flush();
			return ExitCode.OK;
		}

		private static String certificates(long count) {
			return count + ((count == 1) ? " certificate" : " certificates");
		}

	}

}
