package io.tether.cli;

import java.time.Instant;

import io.tether.api.AuthorityView;
import io.tether.api.CaView;
import picocli.CommandLine.Command;

@Command(name = "ca", mixinStandardHelpOptions = true, description = "The CA hierarchy.",
		subcommands = CaCommand.Show.class, footer = { "", "Example:", "  tether ca show" })
class CaCommand extends GroupCommand {

	@Command(name = "show", mixinStandardHelpOptions = true,
			description = "Root and intermediate certificates: subject, validity, fingerprint. "
					+ "-o pem prints the certificates.",
			footer = { "", "Example:", "  tether ca show -o json" })
	static class Show extends ApiCommand {

		@Override
		int run(ApiClient api) {
			OutputFormat format = format(OutputFormat.TABLE, OutputFormat.values());
			ApiClient.Reply<CaView> reply = api.get("/v1/ca", CaView.class);
			CaView ca = reply.value();
			switch (format) {
				case JSON -> printJson(reply.json());
				case PEM -> ca.authorities().forEach((authority) -> out().print(authority.certificatePem()));
				case TABLE -> {
					Instant now = Instant.now();
					Table table = new Table("KIND", "GEN", "STATUS", "SUBJECT", "KEY", "NOT AFTER", "EXPIRES",
							"SHA-256");
					for (AuthorityView authority : ca.authorities()) {
						table.row(authority.kind(), authority.generation(), authority.status(), authority.subject(),
								authority.keyType(), authority.notAfter(), Times.until(authority.notAfter(), now),
								authority.sha256());
					}
					out().println("trust domain " + ca.trustDomain());
					table.print(out());
				}
			}
			out().flush();
			return ExitCode.OK;
		}

	}

}
