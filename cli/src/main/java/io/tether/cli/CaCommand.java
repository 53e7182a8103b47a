package io.tether.cli;

import java.time.Instant;

import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

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
			JsonNode ca = api.get("/v1/ca");
			switch (format) {
				case JSON -> printJson(ca);
				case PEM ->
					ca.path("authorities").forEach((authority) -> out().print(text(authority, "certificatePem")));
				case TABLE -> {
					Instant now = Instant.now();
					Table table = new Table("KIND", "GEN", "SUBJECT", "KEY", "NOT AFTER", "EXPIRES", "SHA-256");
					for (JsonNode authority : ca.path("authorities")) {
						table.row(text(authority, "kind"), authority.path("generation").asInt(),
								text(authority, "subject"), text(authority, "keyType"), text(authority, "notAfter"),
								Times.until(instant(authority, "notAfter"), now), text(authority, "sha256"));
					}
					out().println("trust domain " + text(ca, "trustDomain"));
					table.print(out());
				}
			}
			out().flush();
			return ExitCode.OK;
		}

	}

}
