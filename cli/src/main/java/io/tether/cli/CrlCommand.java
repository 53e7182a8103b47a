package io.tether.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

import io.tether.api.AuthorityView;
import io.tether.api.CaView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "crl", mixinStandardHelpOptions = true,
		description = "The certificate revocation lists the CA's authorities publish.",
		subcommands = CrlCommand.Show.class, footer = { "", "Example:", "  tether crl show" })
class CrlCommand extends GroupCommand {

	static final String MEDIA_TYPE = "application/pkix-crl";

	@Command(name = "show", mixinStandardHelpOptions = true,
			description = { "Fetches the current CRL of every authority that publishes one (prepared, active, "
					+ "retiring) from the server and verifies its signature with the authority's certificate "
					+ "(exit 1 if it does not verify). Prints a summary per authority (CRL number, this and next "
					+ "update, entries) and the revoked certificates: serial, when, why.",
					"-o json for scripts; -o pem prints the CRLs themselves, for openssl crl." },
			footer = { "", "Example:", "  tether crl show", "  tether crl show --authority intermediate:2 -o json",
					"  tether crl show --authority intermediate:1 -o pem | openssl crl -noout -text" })
	static class Show extends ApiCommand {

		@Option(names = "--authority", paramLabel = "AUTHORITY",
				description = "only this authority: KIND:GEN as 'tether ca show' lists them "
						+ "(intermediate:2, root:1), its id, or its key id")
		String authority;

		@Override
		int run(ApiClient api) {
			OutputFormat format = format(OutputFormat.TABLE, OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.PEM);
			List<AuthorityView> authorities = api.get("/v1/ca", CaView.class).value().authorities();
			List<AuthorityView> chosen = chosen(authorities, this.authority);
			List<RevocationList> crls = chosen.stream().map((one) -> fetch(api, one)).toList();
			switch (format) {
				case JSON -> {
					var document = ApiClient.JSON.createObjectNode();
					var list = document.putArray("crls");
					crls.forEach((crl) -> list.add(crl.json()));
					printJson(document);
				}
				case PEM -> crls.forEach((crl) -> out().print(crl.pem()));
				default -> print(crls, out());
			}
			out().flush();
			return ExitCode.OK;
		}

		static List<AuthorityView> chosen(List<AuthorityView> authorities, String name) {
			if (name == null) {
				return authorities.stream()
					.filter((authority) -> CaAuthorities.PUBLISHING.contains(authority.status()))
					.toList();
			}
			AuthorityView one = CaAuthorities.select(authorities, name);
			if (!CaAuthorities.PUBLISHING.contains(one.status())) {
				throw new CliException(ExitCode.NOT_FOUND, CaAuthorities.label(one) + " is " + one.status()
						+ " and publishes no CRL any more; only prepared, active and retiring authorities do");
			}
			return List.of(one);
		}

		private static RevocationList fetch(ApiClient api, AuthorityView authority) {
			if (authority.keyId() == null) {
				throw new CliException(ExitCode.FAILED, "The server names no key id for "
						+ CaAuthorities.label(authority) + "; are the CLI and the server of one release?");
			}
			byte[] der = api.getBytes("/crl/" + ApiClient.segment(authority.keyId()) + ".crl", MEDIA_TYPE);
			return RevocationList.verify(authority, CaAuthorities.certificate(authority), der);
		}

		static void print(List<RevocationList> crls, PrintWriter out) {
			Instant now = Instant.now();
			Table summary = new Table("AUTHORITY", "STATUS", "KEY ID", "CRL NUMBER", "THIS UPDATE", "NEXT UPDATE",
					"NEXT IN", "ENTRIES");
			Table entries = new Table("AUTHORITY", "SERIAL", "REVOKED AT", "REASON");
			int count = 0;
			for (RevocationList crl : crls) {
				String label = CaAuthorities.label(crl.authority());
				summary.row(label, crl.authority().status(), crl.authority().keyId(), crl.number(), crl.thisUpdate(),
						crl.nextUpdate(), (crl.nextUpdate() != null) ? Times.until(crl.nextUpdate(), now) : "-",
						crl.entries().size());
				for (RevocationList.Entry entry : crl.entries()) {
					entries.row(label, entry.serialNumber(), entry.revokedAt(), entry.reason());
					count++;
				}
			}
			summary.print(out);
			out.println();
			if (count == 0) {
				out.println("no revoked certificates listed");
			}
			else {
				entries.print(out);
			}
		}

	}

}
