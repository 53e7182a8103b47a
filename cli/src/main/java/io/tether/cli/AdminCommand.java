package io.tether.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import io.tether.api.CsrRequest;
import io.tether.api.IssuedCertificate;
import io.tether.pki.AtomicFiles;
import io.tether.pki.Csr;
import io.tether.pki.Pem;
import io.tether.pki.SpiffeId;
import picocli.CommandLine.Command;

@Command(name = "admin", mixinStandardHelpOptions = true, description = "The operator's own credentials.",
		subcommands = AdminCommand.Renew.class, footer = { "", "Example:", "  tether admin renew" })
class AdminCommand extends GroupCommand {

	@Command(name = "renew", mixinStandardHelpOptions = true,
			description = { "Renews the admin certificate for the same key, from any host that holds it, and "
					+ "replaces the certificate file atomically. The server also renews it in its data "
					+ "directory when a third of its life is left." },
			footer = { "", "Example:", "  tether admin renew" })
	static class Renew extends ApiCommand {

		@Override
		int run(ApiClient api) {
			CliConfig config = resolvedConfig();
			try {
				PrivateKey key = Pem.readPrivateKey(Files.readString(config.key()));
				X509Certificate current = Pem.readCertificate(Files.readString(config.certificate()));
				SpiffeId id = SpiffeId.of(current)
					.orElseThrow(() -> new CliException(ExitCode.FAILED,
							config.certificate() + " holds no SPIFFE ID: not an admin certificate"));
				String csr = Csr.create(new KeyPair(current.getPublicKey(), key), id, List.of()).toPem();
				ApiClient.Reply<IssuedCertificate> reply = api.post("/v1/admin/renew", new CsrRequest(csr),
						IssuedCertificate.class);
				IssuedCertificate renewed = reply.value();
				// the key stays: only the certificate is replaced, in one rename
				AtomicFiles.write(config.certificate(), renewed.certificateChain().getBytes(StandardCharsets.US_ASCII),
						Files.getPosixFilePermissions(config.certificate()));
				if (tableOrJson() == OutputFormat.JSON) {
					printJson(reply.json());
				}
				else {
					out().println(
							"renewed " + config.certificate() + ": serial " + renewed.serialNumber() + ", valid until "
									+ renewed.notAfter() + " (" + Times.until(renewed.notAfter(), Instant.now()) + ")");
				}
				out().flush();
				return ExitCode.OK;
			}
			catch (IOException ex) {
				throw new CliException(ExitCode.FAILED, "Cannot renew " + config.certificate() + ": " + ex, ex);
			}
		}

	}

}
