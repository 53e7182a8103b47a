package io.tether.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tether.pki.Csr;
import io.tether.pki.PkiException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(
		name = "cert", mixinStandardHelpOptions = true, description = "Issued certificates.", subcommands = {
				CertCommand.List.class, CertCommand.Show.class, CertCommand.Issue.class, CertCommand.Revoke.class },
		footer = { "", "Example:", "  tether cert list --expiring-within 10m" })
class CertCommand extends GroupCommand {

	@Command(name = "list", mixinStandardHelpOptions = true, description = "Issued certificates, newest first.",
			footer = { "", "Example:", "  tether cert list --agent host-1 --status valid",
					"  tether cert list --expiring-within 10m -o json" })
	static class List extends ApiCommand {

		@Option(names = "--spiffe-id", paramLabel = "ID", description = "only certificates for this SPIFFE ID")
		String spiffeId;

		@Option(names = "--agent", paramLabel = "NAME", description = "only certificates this agent obtained")
		String agent;

		@Option(names = "--expiring-within", paramLabel = "DURATION",
				description = "only valid certificates that expire within this time, like 10m or 1h")
		String expiringWithin;

		@Option(names = "--status", paramLabel = "STATUS", description = "valid, expired or revoked")
		String status;

		@Mixin
		LimitOption limit;

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			JsonNode list = api.get("/v1/certificates" + ApiClient.query("spiffeId", this.spiffeId, "agent", this.agent,
					"expiringWithin", this.expiringWithin, "status", this.status, "limit", this.limit.value));
			if (format == OutputFormat.JSON) {
				printJson(list);
				return ExitCode.OK;
			}
			Instant now = Instant.now();
			Table table = new Table("SERIAL", "SPIFFE ID", "STATUS", "NOT AFTER", "EXPIRES", "REQUESTED BY");
			for (JsonNode certificate : list.path("certificates")) {
				table.row(text(certificate, "serialNumber"), text(certificate, "spiffeId"), text(certificate, "status"),
						text(certificate, "notAfter"), Times.until(instant(certificate, "notAfter"), now),
						text(certificate, "requestedBy"));
			}
			table.print(out());
			return ExitCode.OK;
		}

	}

	@Command(name = "show", mixinStandardHelpOptions = true,
			description = "One certificate by serial number. -o pem prints the certificate.", footer = { "", "Example:",
					"  tether cert show 5f1c0a...", "  tether cert show 5f1c0a... -o pem > cert.pem" })
	static class Show extends ApiCommand {

		@Parameters(paramLabel = "SERIAL", description = "the serial number, hex (tether cert list)")
		String serial;

		@Override
		int run(ApiClient api) {
			OutputFormat format = format(OutputFormat.TABLE, OutputFormat.values());
			JsonNode certificate = api.get("/v1/certificates/" + ApiClient.segment(this.serial));
			switch (format) {
				case JSON -> printJson(certificate);
				case PEM -> out().print(text(certificate, "certificatePem"));
				case TABLE -> new Details().add("serial", text(certificate, "serialNumber"))
					.add("SPIFFE ID", text(certificate, "spiffeId"))
					.add("DNS names", joined(certificate.path("dnsNames")))
					.add("status", text(certificate, "status"))
					.add("key", text(certificate, "keyType"))
					.add("not before", text(certificate, "notBefore"))
					.add("not after", expiry(certificate, "notAfter", Instant.now()))
					.add("x5t#S256", text(certificate, "x5tS256"))
					.add("requested by", text(certificate, "requestedBy"))
					.add("issued", text(certificate, "createdAt"))
					.print(out());
			}
			out().flush();
			return ExitCode.OK;
		}

	}

	@Command(name = "issue", mixinStandardHelpOptions = true,
			description = "A one-off certificate for a CSR made elsewhere (operations, tests). Prints the chain "
					+ "PEM, leaf first; -o json adds serial, validity and x5t#S256. Workloads get theirs from "
					+ "agents.",
			footer = { "", "Example:", "  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \\",
					"    -keyout web.key -subj /CN=web -addext subjectAltName=URI:spiffe://tether.internal/ns/web \\",
					"    -out web.csr",
					"  tether cert issue --spiffe-id spiffe://tether.internal/ns/web --csr web.csr > web.pem" })
	static class Issue extends ApiCommand {

		@Option(names = "--spiffe-id", required = true, paramLabel = "ID",
				description = "the SPIFFE ID; the CSR must name exactly it")
		String spiffeId;

		@Option(names = "--csr", required = true, paramLabel = "FILE", description = "the CSR, PEM or DER")
		Path csr;

		@Option(names = "--dns", paramLabel = "NAME", description = "a DNS name, also in the CSR (repeatable)")
		java.util.List<String> dnsNames = new ArrayList<>();

		@Option(names = "--ttl", paramLabel = "DURATION", description = "lifetime, like 1h (default: the server's)")
		String ttl;

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("csr", csrPem());
			body.put("spiffeId", this.spiffeId);
			body.put("dnsNames", this.dnsNames);
			if (this.ttl != null) {
				body.put("ttl", this.ttl);
			}
			JsonNode issued = api.post("/v1/certificates", body);
			if (format == OutputFormat.JSON) {
				printJson(issued);
			}
			else {
				out().print(text(issued, "certificateChain"));
				out().flush();
			}
			return ExitCode.OK;
		}

		private String csrPem() {
			byte[] bytes;
			try {
				bytes = Files.readAllBytes(this.csr);
			}
			catch (IOException ex) {
				throw new CliException(ExitCode.USAGE, "Cannot read the CSR " + this.csr + " (" + ex + ")");
			}
			String text = new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
			if (text.contains("-----BEGIN")) {
				return text;
			}
			try {
				return Csr.fromDer(bytes).toPem();
			}
			catch (PkiException ex) {
				throw new CliException(ExitCode.USAGE,
						this.csr + " is neither a PEM nor a DER CSR (" + ex.getMessage() + ")");
			}
		}

	}

	@Command(name = "revoke", mixinStandardHelpOptions = true,
			description = "Revokes a certificate: token issuers and resource servers that ask the CA refuse it from "
					+ "then on. Reasons are RFC 5280's: unspecified (default), keyCompromise, affiliationChanged, "
					+ "superseded, cessationOfOperation, privilegeWithdrawn.",
			footer = { "", "Example:", "  tether cert revoke 5f1c0a... --reason keyCompromise" })
	static class Revoke extends ApiCommand {

		@Parameters(paramLabel = "SERIAL", description = "the serial number, hex (tether cert list)")
		String serial;

		@Option(names = "--reason", paramLabel = "REASON", description = "why, an RFC 5280 reason name")
		String reason;

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			Map<String, Object> body = new LinkedHashMap<>();
			if (this.reason != null) {
				body.put("reason", this.reason);
			}
			JsonNode revoked = api.post("/v1/certificates/" + ApiClient.segment(this.serial) + "/revoke", body);
			if (format == OutputFormat.JSON) {
				printJson(revoked);
			}
			else {
				out().println("revoked " + text(revoked, "serialNumber") + " " + text(revoked, "spiffeId") + " ("
						+ text(revoked, "revocationReason") + ")");
				out().flush();
			}
			return ExitCode.OK;
		}

	}

}
