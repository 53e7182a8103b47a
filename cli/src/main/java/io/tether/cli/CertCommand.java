package io.tether.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;

import io.tether.api.CaView;
import io.tether.api.CertificateList;
import io.tether.api.CertificateView;
import io.tether.api.IssueRequest;
import io.tether.api.IssuedCertificate;
import io.tether.api.RevokeRequest;
import io.tether.pki.Csr;
import io.tether.pki.Pem;
import io.tether.pki.PkiException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cert", mixinStandardHelpOptions = true, description = "Issued certificates.",
		subcommands = { CertCommand.List.class, CertCommand.Show.class, CertCommand.Issue.class,
				CertCommand.Revoke.class, CertCommand.Status.class },
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

		@Option(names = "--expiring-within", paramLabel = "DURATION", converter = DurationText.class,
				description = "only valid certificates that expire within this time, like 10m or 1h")
		String expiringWithin;

		@Option(names = "--status", paramLabel = "STATUS", description = "valid, expired or revoked")
		String status;

		@Mixin
		LimitOption limit;

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			ApiClient.Reply<CertificateList> list = api.get(
					"/v1/certificates" + ApiClient.query("spiffeId", this.spiffeId, "agent", this.agent,
							"expiringWithin", this.expiringWithin, "status", this.status, "limit", this.limit.value),
					CertificateList.class);
			if (format == OutputFormat.JSON) {
				printJson(list.json());
				return ExitCode.OK;
			}
			Instant now = Instant.now();
			Table table = new Table("SERIAL", "SPIFFE ID", "STATUS", "NOT AFTER", "EXPIRES", "REQUESTED BY");
			for (CertificateView certificate : list.value().certificates()) {
				table.row(certificate.serialNumber(), certificate.spiffeId(), certificate.status(),
						certificate.notAfter(), Times.until(certificate.notAfter(), now), certificate.requestedBy());
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
			OutputFormat format = format(OutputFormat.TABLE, OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.PEM);
			ApiClient.Reply<CertificateView> reply = api.get("/v1/certificates/" + ApiClient.segment(this.serial),
					CertificateView.class);
			CertificateView certificate = reply.value();
			switch (format) {
				case JSON -> printJson(reply.json());
				case PEM -> out().print(certificate.certificatePem());
				case TABLE -> new Details().add("serial", certificate.serialNumber())
					.add("SPIFFE ID", certificate.spiffeId())
					.add("DNS names", joined(certificate.dnsNames()))
					.add("status", certificate.status())
					.add("key", certificate.keyType())
					.add("not before", certificate.notBefore())
					.add("not after", expiry(certificate.notAfter(), Instant.now()))
					.add("x5t#S256", certificate.x5tS256())
					.add("requested by", certificate.requestedBy())
					.add("issued", certificate.createdAt())
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

		@Option(names = "--ttl", paramLabel = "DURATION", converter = DurationText.class,
				description = "lifetime, like 1h (default: the server's)")
		String ttl;

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			ApiClient.Reply<IssuedCertificate> issued = api.post("/v1/certificates",
					new IssueRequest(csrPem(), this.spiffeId, this.dnsNames, this.ttl), IssuedCertificate.class);
			if (format == OutputFormat.JSON) {
				printJson(issued.json());
			}
			else {
				out().print(issued.value().certificateChain());
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
			ApiClient.Reply<CertificateView> reply = api.post(
					"/v1/certificates/" + ApiClient.segment(this.serial) + "/revoke", new RevokeRequest(this.reason),
					CertificateView.class);
			if (format == OutputFormat.JSON) {
				printJson(reply.json());
			}
			else {
				CertificateView revoked = reply.value();
				out().println("revoked " + revoked.serialNumber() + " " + revoked.spiffeId() + " ("
						+ revoked.revocationReason() + ")");
				out().flush();
			}
			return ExitCode.OK;
		}

	}

	@Command(name = "status", mixinStandardHelpOptions = true,
			description = { "Asks the CA's OCSP responder whether a certificate is good, revoked or unknown, with "
					+ "a fresh nonce, and believes the answer only when it verifies: signed by the issuer or by "
					+ "a responder certificate the issuer signed for OCSP signing, about this certificate, "
					+ "current, echoing the nonce.",
					"SERIAL is fetched from the server first; a FILE (PEM or DER, leaf first) may hold the "
							+ "issuer after the leaf, else the issuer is the CA's authority named by the leaf's "
							+ "authority key identifier." },
			footer = { "",
					"Exit codes: 0 good, 6 revoked, 7 unknown to the CA; 1 when the answer does not verify, "
							+ "2 for an unreadable file, 3 for an unknown serial.",
					"", "Example:", "  tether cert status 5f1c0a...",
					"  tether cert status /etc/web/tls/cert.pem -o json",
					"  tether cert status cert.pem || echo \"revoked or unknown: exit $?\"" })
	static class Status extends ApiCommand {

		@Parameters(paramLabel = "SERIAL|FILE",
				description = "the serial number, hex (tether cert list), or a certificate file")
		String certificate;

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			java.util.List<X509Certificate> chain = chain(api);
			X509Certificate issuer = OcspCheck.issuer(chain,
					() -> api.get("/v1/ca", CaView.class).value().authorities());
			OcspAnswer answer = OcspCheck.ask(api, chain.get(0), issuer);
			if (format == OutputFormat.JSON) {
				printJson(answer.json());
			}
			else {
				answer.details("", Instant.now()).print(out());
			}
			return answer.exitCode();
		}

		private java.util.List<X509Certificate> chain(ApiClient api) {
			if (!isSerial(this.certificate) || Files.exists(Path.of(this.certificate))) {
				Path file = Path.of(this.certificate);
				return CertificateFiles.certificates(file, CertificateFiles.read(file));
			}
			CertificateView view = api
				.get("/v1/certificates/" + ApiClient.segment(this.certificate), CertificateView.class)
				.value();
			if (view.certificatePem() == null) {
				throw new CliException(ExitCode.FAILED, "The server sent no PEM for certificate " + this.certificate
						+ "; are the CLI and the server of one release?");
			}
			return Pem.readCertificates(view.certificatePem());
		}

		/**
		 * Hex, with the colons {@code openssl} prints: what {@code cert show} takes. A
		 * file of that name wins.
		 */
		static boolean isSerial(String text) {
			String digits = text.replace(":", "");
			return !digits.isEmpty() && digits.chars().allMatch(HexFormat::isHexDigit);
		}

	}

}
