package io.tether.cli;

import java.io.PrintWriter;
import java.time.Instant;

import io.tether.api.AuthorityView;
import io.tether.api.CaView;
import io.tether.api.RotateRequest;
import io.tether.api.Rotated;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ca", mixinStandardHelpOptions = true, description = "The CA hierarchy and its rotations.",
		subcommands = { CaCommand.Show.class, CaCommand.Rotate.class },
		footer = { "", "Example:", "  tether ca show", "  tether ca rotate intermediate" })
class CaCommand extends GroupCommand {

	@Command(name = "show", mixinStandardHelpOptions = true,
			description = "Roots and intermediates: generation, state (prepared, active, retiring, retired, "
					+ "revoked), next transition, validity, fingerprint. -o pem prints the certificates.",
			footer = { "", "Example:", "  tether ca show -o json" })
	static class Show extends ApiCommand {

		@Override
		int run(ApiClient api) {
			OutputFormat format = format(OutputFormat.TABLE, OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.PEM);
			ApiClient.Reply<CaView> reply = api.get("/v1/ca", CaView.class);
			CaView ca = reply.value();
			switch (format) {
				case JSON -> printJson(reply.json());
				case PEM -> ca.authorities().forEach((authority) -> out().print(authority.certificatePem()));
				case TABLE -> printTable(ca, out());
			}
			out().flush();
			return ExitCode.OK;
		}

	}

	@Command(name = "rotate", mixinStandardHelpOptions = true,
			description = { "Moves a rotation forward now (the server rotates by itself on schedule).",
					"intermediate: prepares the next intermediate (published, signing nothing yet) when none is "
							+ "prepared, otherwise makes the prepared one active.",
					"intermediate --emergency: makes a new intermediate active at once and revokes the active "
							+ "one; it leaves every bundle, and agents re-issue what it signed at their next sync.",
					"root: prepares the next root, published in every bundle at once; the first intermediate "
							+ "prepared after the publication lead is signed by it." },
			footer = { "", "Example:", "  tether ca rotate intermediate", "  tether ca rotate intermediate --emergency",
					"  tether ca rotate root" })
	static class Rotate extends ApiCommand {

		@Parameters(index = "0", paramLabel = "KIND", description = "intermediate or root")
		String kind;

		@Option(names = "--emergency", description = "replace a compromised intermediate at once (intermediate only)")
		boolean emergency;

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			ApiClient.Reply<Rotated> reply = api.post("/v1/ca/rotate", new RotateRequest(this.kind, this.emergency),
					Rotated.class);
			if (format == OutputFormat.JSON) {
				printJson(reply.json());
			}
			else {
				out().println(reply.value().done());
				printTable(reply.value().ca(), out());
			}
			out().flush();
			return ExitCode.OK;
		}

	}

	static void printTable(CaView ca, PrintWriter out) {
		Instant now = Instant.now();
		Table table = new Table("KIND", "GEN", "STATUS", "NEXT", "SUBJECT", "KEY", "KEY STORE", "NOT AFTER", "EXPIRES",
				"SHA-256");
		for (AuthorityView authority : ca.authorities()) {
			table.row(authority.kind(), authority.generation(), authority.status(), next(authority, now),
					authority.subject(), authority.keyType(), authority.keyStore(), authority.notAfter(),
					Times.until(authority.notAfter(), now), authority.sha256());
		}
		out.println("trust domain " + ca.trustDomain());
		table.print(out);
	}

	/**
	 * {@code retiring in 2d4h}, {@code active with the next intermediate}, or {@code -}.
	 */
	private static String next(AuthorityView authority, Instant now) {
		if (authority.next() == null) {
			return "-";
		}
		if (authority.nextAt() == null) {
			return authority.next() + " with the next intermediate";
		}
		return authority.next() + " "
				+ (authority.nextAt().isAfter(now) ? Times.until(authority.nextAt(), now) : "at the next check");
	}

}
