package io.tether.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.tether.pki.Csr;
import io.tether.pki.Pem;
import io.tether.pki.testing.Commands;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ThumbprintCommandTest {

	/** RFC 9440 section A: the example client certificate. */
	private static final Path RFC9440_CERTIFICATE = Path
		.of("../pki/src/test/resources/io/tether/pki/rfc9440-client-cert.pem");

	@TempDir
	Path directory;

	@Test
	void thumbprintOfRfc9440ExampleCertificateIsTheRfcValue() {
		Cli.Run run = Cli.run("thumbprint", RFC9440_CERTIFICATE.toString());
		assertThat(run.exitCode()).isZero();
		assertThat(run.out()).isEqualTo("v68ffgcPn6jdYpBfFY2nP4ShE2Yk-6_Mk5PI9yh6aes" + System.lineSeparator());
		assertThat(run.err()).isEmpty();
	}

	@Test
	void thumbprintOfChainIsTheLeafsAndAgreesWithOpenssl() throws Exception {
		TestPki.Issued leaf = TestPki.root().intermediate().leaf("spiffe://example.org/web", "web.internal");
		Path chain = this.directory.resolve("chain.pem");
		Files.writeString(chain, Pem.write(leaf.chain()));
		Commands.Result openssl = Commands.run(this.directory, "sh", "-c",
				"openssl x509 -in chain.pem -outform DER | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=\\n'");
		assertThat(openssl.exitCode()).as(openssl.output()).isZero();
		Cli.Run run = Cli.run("thumbprint", chain.toString());
		assertThat(run.exitCode()).isZero();
		assertThat(run.out().strip()).isEqualTo(openssl.output()).hasSize(43);
	}

	@Test
	void thumbprintOfDerCertificateEqualsThatOfItsPem() throws Exception {
		TestPki.Issued leaf = TestPki.root().leaf("spiffe://example.org/web");
		Path pem = this.directory.resolve("cert.pem");
		Path der = this.directory.resolve("cert.der");
		Files.writeString(pem, Pem.write(leaf.certificate()));
		Files.write(der, leaf.certificate().getEncoded());
		assertThat(Cli.run("thumbprint", der.toString()).out()).isEqualTo(Cli.run("thumbprint", pem.toString()).out());
	}

	@Test
	void thumbprintOfCsrFailsWithExitOne() throws Exception {
		TestPki.Issued leaf = TestPki.root().leaf("spiffe://example.org/web");
		Path csr = this.directory.resolve("web.csr");
		Files.writeString(csr, Csr.create(leaf.keys(), null, java.util.List.of()).toPem());
		Cli.Run run = Cli.run("thumbprint", csr.toString());
		assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
		assertThat(run.err()).startsWith("tether: ").contains("is a CSR").hasLineCount(1);
		assertThat(run.out()).isEmpty();
	}

	@Test
	void thumbprintOfKeyFileFailsWithExitOne() throws Exception {
		Path key = this.directory.resolve("key.pem");
		Files.writeString(key, Pem.write(TestPki.root().leaf("spiffe://example.org/web").keys().getPrivate()),
				StandardCharsets.US_ASCII);
		Cli.Run run = Cli.run("thumbprint", key.toString());
		assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
		assertThat(run.err()).contains("holds no").hasLineCount(1);
	}

	@Test
	void thumbprintOfMissingFileIsUsageError() {
		Cli.Run run = Cli.run("thumbprint", this.directory.resolve("absent.pem").toString());
		assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
		assertThat(run.err()).contains("Cannot read").hasLineCount(1);
	}

}
