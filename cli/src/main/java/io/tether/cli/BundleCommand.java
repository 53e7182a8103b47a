package io.tether.cli;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import io.tether.pki.Pem;
import io.tether.pki.SerialNumbers;
import io.tether.pki.Thumbprints;
import picocli.CommandLine.Command;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "bundle", mixinStandardHelpOptions = true,
		description = "The trust bundle workloads verify peers with.", subcommands = BundleCommand.Show.class,
		footer = { "", "Example:", "  tether bundle show > bundle.pem",
				"  tether bundle show -o spiffe > bundle.json" })
class BundleCommand extends GroupCommand {

	@Command(name = "show", mixinStandardHelpOptions = true,
			description = "The trust bundle: PEM by default (for a file), or -o table / -o json, or -o spiffe "
					+ "for the SPIFFE bundle format (a JWK Set, for SPIFFE federation).",
			footer = { "", "Example:", "  tether bundle show > bundle.pem", "  tether bundle show -o table",
					"  tether bundle show -o spiffe > bundle.json" })
	static class Show extends ApiCommand {

		@Override
		int run(ApiClient api) {
			OutputFormat format = format(OutputFormat.PEM, OutputFormat.values());
			switch (format) {
				// as the server wrote them: the same bytes as the endpoints
				case PEM -> out().print(api.getText("/v1/bundle"));
				case SPIFFE -> out().println(api.getText("/v1/bundle/spiffe"));
				case JSON -> {
					List<X509Certificate> anchors = Pem.readCertificates(api.getText("/v1/bundle"));
					ArrayNode list = ApiClient.JSON.createArrayNode();
					for (X509Certificate anchor : anchors) {
						ObjectNode item = list.addObject();
						item.put("subject", anchor.getSubjectX500Principal().getName());
						item.put("serialNumber", SerialNumbers.toHex(anchor.getSerialNumber()));
						item.put("notAfter", anchor.getNotAfter().toInstant().toString());
						item.put("sha256", Thumbprints.sha256Hex(anchor));
						item.put("certificatePem", Pem.write(anchor));
					}
					ObjectNode bundle = ApiClient.JSON.createObjectNode();
					bundle.set("trustAnchors", list);
					printJson(bundle);
				}
				case TABLE -> {
					List<X509Certificate> anchors = Pem.readCertificates(api.getText("/v1/bundle"));
					Table table = new Table("SUBJECT", "NOT AFTER", "EXPIRES", "SHA-256");
					Instant now = Instant.now();
					for (X509Certificate anchor : anchors) {
						Instant notAfter = anchor.getNotAfter().toInstant();
						table.row(anchor.getSubjectX500Principal().getName(), notAfter, Times.until(notAfter, now),
								Thumbprints.sha256Hex(anchor));
					}
					table.print(out());
				}
			}
			out().flush();
			return ExitCode.OK;
		}

	}

}
