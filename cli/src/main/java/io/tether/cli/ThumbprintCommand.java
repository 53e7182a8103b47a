package io.tether.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.tether.pki.Thumbprints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "thumbprint", mixinStandardHelpOptions = true,
		description = "Prints only the x5t#S256 of the file's first certificate (the leaf of a chain): "
				+ "base64url, unpadded, of SHA-256 over its DER, as in RFC 8705 'cnf'. PEM or DER. No server needed.",
		footer = { "", "Example:", "  tether thumbprint /etc/web/tls/cert.pem" })
class ThumbprintCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Parameters(paramLabel = "FILE", description = "a certificate or chain, PEM or DER")
	Path file;

	@Override
	public Integer call() {
		byte[] bytes = CertificateFiles.read(this.file);
		if (CertificateFiles.isCsr(bytes)) {
			throw new CliException(ExitCode.FAILED,
					this.file + " is a CSR; a thumbprint is of a certificate (tether inspect shows a CSR)");
		}
		this.spec.commandLine()
			.getOut()
			.println(Thumbprints.x5tS256(CertificateFiles.certificates(this.file, bytes).get(0)));
		this.spec.commandLine().getOut().flush();
		return ExitCode.OK;
	}

}
