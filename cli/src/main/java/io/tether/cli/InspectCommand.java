package io.tether.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;

import io.tether.api.CaView;
import io.tether.pki.Chains;
import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.PkiException;
import io.tether.pki.SerialNumbers;
import io.tether.pki.Thumbprints;
import io.tether.pki.UnsupportedKeyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "inspect", mixinStandardHelpOptions = true,
		description = "What a certificate, chain or CSR says: subject, SANs, validity and time left, key, issuer, "
				+ "x5t#S256. With --bundle, verifies the chain (exit 1 if it does not verify). PEM or DER. "
				+ "No server needed, except with --revocation: it also asks the CA's OCSP responder about the "
				+ "certificate, as 'tether cert status' does (exit 6 revoked, 7 unknown).",
		footer = { "", "Example:", "  tether inspect /etc/web/tls/cert.pem --bundle /etc/web/tls/bundle.pem",
				"  tether inspect web.csr -o json", "  tether inspect --revocation /etc/web/tls/cert.pem" })
class InspectCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Parameters(paramLabel = "FILE", description = "a certificate, a chain (leaf first) or a CSR; PEM or DER")
	Path file;

	@Option(names = "--bundle", paramLabel = "FILE", description = "trust anchors (PEM) to verify the chain against")
	Path bundle;

	@Option(names = "--revocation",
			description = "also ask the CA's OCSP responder (the configured server) about the first certificate")
	boolean revocation;

	@Option(names = "--config", paramLabel = "FILE",
			description = "CLI configuration for --revocation (default: $TETHER_CONFIG, else ~/.config/tether/config.yaml)")
	Path config;

	@Option(names = { "-o", "--output" }, paramLabel = "FORMAT", description = "table (default) or json")
	OutputFormat output = OutputFormat.TABLE;

	@Override
	public Integer call() {
		if (this.output == OutputFormat.PEM) {
			throw new CliException(ExitCode.USAGE, "'-o pem' is not available here; use table or json");
		}
		byte[] bytes = CertificateFiles.read(this.file);
		ObjectNode report = ApiClient.JSON.createObjectNode();
		report.put("file", this.file.toString());
		String chainError = null;
		OcspAnswer answer = null;
		if (CertificateFiles.isCsr(bytes) || (!CertificateFiles.isPem(bytes) && !looksLikeCertificate(bytes))) {
			if (this.revocation) {
				throw new CliException(ExitCode.USAGE,
						"--revocation asks about a certificate; " + this.file + " is not one");
			}
			report.set("csr", csr(bytes));
		}
		else {
			List<X509Certificate> certificates = CertificateFiles.certificates(this.file, bytes);
			ArrayNode list = report.putArray("certificates");
			certificates.forEach((certificate) -> list.add(certificate(certificate)));
			if (this.bundle != null) {
				chainError = verify(certificates);
				ObjectNode chain = report.putObject("chain");
				chain.put("bundle", this.bundle.toString());
				chain.put("verified", chainError == null);
				if (chainError != null) {
					chain.put("error", chainError);
				}
			}
			if (this.revocation) {
				answer = revocation(certificates);
				report.set("revocation", answer.json());
			}
		}
		PrintWriter out = this.spec.commandLine().getOut();
		if (this.output == OutputFormat.JSON) {
			out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
		}
		else {
			print(report, answer, out);
		}
		out.flush();
		if (chainError != null) {
			throw new CliException(ExitCode.FAILED,
					this.file + " does not verify against " + this.bundle + ": " + chainError);
		}
		return (answer != null) ? answer.exitCode() : ExitCode.OK;
	}

	private OcspAnswer revocation(List<X509Certificate> certificates) {
		CliConfig resolved = CliConfig.resolve(this.config, TetherCli.environment(this.spec));
		try (ApiClient api = ApiClient.connect(resolved, this.spec.qualifiedName())) {
			String warning = api.expiryWarning(Instant.now());
			if (warning != null) {
				this.spec.commandLine().getErr().println(warning);
			}
			X509Certificate issuer = OcspCheck.issuer(certificates,
					() -> api.get("/v1/ca", CaView.class).value().authorities());
			return OcspCheck.ask(api, certificates.get(0), issuer);
		}
	}

	private static boolean looksLikeCertificate(byte[] der) {
		try {
			CertificateFactory.getInstance("X.509").generateCertificate(new java.io.ByteArrayInputStream(der));
			return true;
		}
		catch (GeneralSecurityException ex) {
			return false;
		}
	}

	private ObjectNode csr(byte[] bytes) {
		Csr csr;
		try {
			csr = CertificateFiles.isPem(bytes)
					? Csr.fromPem(new String(bytes, java.nio.charset.StandardCharsets.US_ASCII)) : Csr.fromDer(bytes);
		}
		catch (PkiException ex) {
			throw new CliException(ExitCode.FAILED,
					this.file + " is neither a certificate nor a CSR (" + ex.getMessage() + ")");
		}
		ObjectNode node = ApiClient.JSON.createObjectNode();
		node.put("subject", csr.subject().toString());
		ArrayNode uris = node.putArray("uris");
		csr.requestedUris().forEach(uris::add);
		ArrayNode dns = node.putArray("dnsNames");
		csr.requestedDnsNames().forEach(dns::add);
		node.put("key", describe(csr.publicKey()));
		try {
			csr.verifyProofOfPossession();
			node.put("signature", "valid");
		}
		catch (PkiException ex) {
			node.put("signature", "INVALID: " + ex.getMessage());
		}
		return node;
	}

	private static ObjectNode certificate(X509Certificate certificate) {
		ObjectNode node = ApiClient.JSON.createObjectNode();
		Instant notAfter = certificate.getNotAfter().toInstant();
		node.put("subject", certificate.getSubjectX500Principal().getName());
		node.put("issuer", certificate.getIssuerX500Principal().getName());
		node.put("serialNumber", SerialNumbers.toHex(certificate.getSerialNumber()));
		ArrayNode uris = node.putArray("uris");
		ArrayNode dns = node.putArray("dnsNames");
		for (List<?> name : subjectAlternativeNames(certificate)) {
			int type = (Integer) name.get(0);
			if (type == 6) {
				uris.add(name.get(1).toString());
			}
			else if (type == 2) {
				dns.add(name.get(1).toString());
			}
		}
		node.put("notBefore", certificate.getNotBefore().toInstant().toString());
		node.put("notAfter", notAfter.toString());
		node.put("secondsLeft", Math.max(0, notAfter.getEpochSecond() - Instant.now().getEpochSecond()));
		node.put("key", describe(certificate.getPublicKey()));
		node.put("ca", certificate.getBasicConstraints() >= 0);
		node.put("x5tS256", Thumbprints.x5tS256(certificate));
		node.put("sha256", Thumbprints.sha256Hex(certificate));
		return node;
	}

	private static Collection<List<?>> subjectAlternativeNames(X509Certificate certificate) {
		try {
			Collection<List<?>> names = certificate.getSubjectAlternativeNames();
			return (names != null) ? names : List.of();
		}
		catch (CertificateParsingException ex) {
			return List.of();
		}
	}

	private static String describe(PublicKey key) {
		try {
			return KeyType.of(key).id();
		}
		catch (UnsupportedKeyException ex) {
			String size = (key instanceof RSAKey rsa) ? "-" + rsa.getModulus().bitLength() : "";
			return key.getAlgorithm().toLowerCase(java.util.Locale.ROOT) + size + " (not accepted by Tether)";
		}
	}

	/**
	 * PKIX validation of the file's chain against the bundle's anchors, now, without
	 * revocation checks.
	 * @return why it does not verify, or {@code null} when it does
	 */
	private String verify(List<X509Certificate> certificates) {
		List<X509Certificate> anchors = CertificateFiles.certificates(this.bundle, CertificateFiles.read(this.bundle));
		return Chains.problem(certificates, anchors, List.of()).orElse(null);
	}

	private static void print(ObjectNode report, OcspAnswer answer, PrintWriter out) {
		Instant now = Instant.now();
		if (report.has("csr")) {
			ObjectNode csr = (ObjectNode) report.get("csr");
			out.println("CSR " + report.get("file").asString());
			new Details().add("  subject", csr.get("subject").asString())
				.add("  URIs", joined(csr.get("uris")))
				.add("  DNS names", joined(csr.get("dnsNames")))
				.add("  key", csr.get("key").asString())
				.add("  signature", csr.get("signature").asString())
				.print(out);
			return;
		}
		int count = report.get("certificates").size();
		int index = 0;
		for (var certificate : report.get("certificates")) {
			index++;
			out.println("certificate " + index + " of " + count);
			new Details().add("  subject", certificate.get("subject").asString())
				.add("  issuer", certificate.get("issuer").asString())
				.add("  serial", certificate.get("serialNumber").asString())
				.add("  URIs", joined(certificate.get("uris")))
				.add("  DNS names", joined(certificate.get("dnsNames")))
				.add("  not before", certificate.get("notBefore").asString())
				.add("  not after", ApiCommand.expiry(Instant.parse(certificate.get("notAfter").asString()), now))
				.add("  key", certificate.get("key").asString())
				.add("  CA", certificate.get("ca").asBoolean() ? "yes" : "no")
				.add("  x5t#S256", certificate.get("x5tS256").asString())
				.add("  SHA-256", certificate.get("sha256").asString())
				.print(out);
		}
		if (report.has("chain")) {
			var chain = report.get("chain");
			out.println("chain " + (chain.get("verified").asBoolean() ? "verifies" : "DOES NOT VERIFY") + " against "
					+ chain.get("bundle").asString()
					+ (chain.has("error") ? ": " + chain.get("error").asString() : ""));
		}
		if (answer != null) {
			out.println("revocation (OCSP)");
			answer.details("  ", now).print(out);
		}
	}

	private static String joined(JsonNode array) {
		StringBuilder text = new StringBuilder();
		for (JsonNode item : array) {
			text.append(text.isEmpty() ? "" : ",").append(item.asString());
		}
		return text.toString();
	}

}
