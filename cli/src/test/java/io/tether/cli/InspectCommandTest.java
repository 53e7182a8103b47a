package io.tether.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.Thumbprints;
import io.tether.pki.testing.MalformedCsrs;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class InspectCommandTest {

	private static final String SPIFFE_ID = "spiffe://example.org/ns/web";

	@TempDir
	Path directory;

	private final TestPki pki = TestPki.root().intermediate();

	@Test
	void inspectChainShowsEachCertificateAndVerifiesAgainstBundle() throws Exception {
		TestPki.Issued leaf = this.pki.leaf(SPIFFE_ID, "web.internal");
		Path chain = write("chain.pem", Pem.write(leaf.chain()));
		Path bundle = write("bundle.pem", Pem.write(this.pki.rootCredential().certificate()));
		Cli.Run run = Cli.run("inspect", chain.toString(), "--bundle", bundle.toString());
		assertThat(run.exitCode()).as(run.err()).isZero();
		assertThat(run.out()).contains("certificate 1 of 2", "certificate 2 of 2", SPIFFE_ID, "web.internal", "ec-p256",
				Thumbprints.x5tS256(leaf.certificate()), "chain verifies against " + bundle);
		assertThat(run.out()).containsPattern("not after +\\S+ \\(in \\d+");
	}

	@Test
	void inspectJsonParsesBackWithTheSameFacts() throws Exception {
		TestPki.Issued leaf = this.pki.leaf(SPIFFE_ID, "web.internal");
		Path chain = write("chain.pem", Pem.write(leaf.chain()));
		Path bundle = write("bundle.pem", Pem.write(this.pki.rootCredential().certificate()));
		Cli.Run run = Cli.run("inspect", chain.toString(), "--bundle", bundle.toString(), "-o", "json");
		assertThat(run.exitCode()).isZero();
		JsonNode report = ApiClient.JSON.readTree(run.out());
		JsonNode first = report.get("certificates").get(0);
		assertThat(first.get("uris").get(0).asString()).isEqualTo(SPIFFE_ID);
		assertThat(first.get("dnsNames").get(0).asString()).isEqualTo("web.internal");
		assertThat(first.get("x5tS256").asString()).isEqualTo(Thumbprints.x5tS256(leaf.certificate()));
		assertThat(first.get("ca").asBoolean()).isFalse();
		assertThat(report.get("certificates").get(1).get("ca").asBoolean()).isTrue();
		assertThat(first.get("secondsLeft").asLong()).isPositive();
		assertThat(report.get("chain").get("verified").asBoolean()).isTrue();
	}

	@Test
	void inspectAgainstAnotherCasBundleFailsWithExitOne() throws Exception {
		Path chain = write("chain.pem", Pem.write(this.pki.leaf(SPIFFE_ID).chain()));
		Path other = write("other.pem", Pem.write(TestPki.root().rootCredential().certificate()));
		Cli.Run run = Cli.run("inspect", chain.toString(), "--bundle", other.toString());
		assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
		assertThat(run.out()).contains("DOES NOT VERIFY");
		assertThat(run.err()).startsWith("tether: ").contains("does not verify against " + other).hasLineCount(1);
	}

	@Test
	void inspectLeafWithoutItsIntermediateDoesNotVerify() throws Exception {
		Path leafOnly = write("leaf.pem", Pem.write(this.pki.leaf(SPIFFE_ID).certificate()));
		Path bundle = write("bundle.pem", Pem.write(this.pki.rootCredential().certificate()));
		assertThat(Cli.run("inspect", leafOnly.toString(), "--bundle", bundle.toString()).exitCode())
			.isEqualTo(ExitCode.FAILED);
	}

	@Test
	void inspectExpiredCertificateSaysSoAndDoesNotVerify() throws Exception {
		Clock lastYear = Clock.fixed(Instant.now().minus(Duration.ofDays(365)), ZoneOffset.UTC);
		TestPki old = TestPki.root(lastYear, KeyType.EC_P256);
		Path leaf = write("old.pem", Pem.write(old.leaf(KeyType.EC_P256, Duration.ofHours(1), SPIFFE_ID).chain()));
		Path bundle = write("bundle.pem", Pem.write(old.rootCredential().certificate()));
		Cli.Run run = Cli.run("inspect", leaf.toString(), "--bundle", bundle.toString());
		assertThat(run.out()).as(run.out()).containsPattern("not after +\\S+ \\(expired \\d+d\\S* ago\\)");
		assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
		assertThat(run.err()).contains("expired");
	}

	@Test
	void inspectDerCertificate() throws Exception {
		TestPki.Issued leaf = this.pki.leaf(KeyType.ED25519, Duration.ofHours(1), SPIFFE_ID);
		Path der = this.directory.resolve("cert.der");
		Files.write(der, leaf.certificate().getEncoded());
		Cli.Run run = Cli.run("inspect", der.toString());
		assertThat(run.exitCode()).isZero();
		assertThat(run.out()).contains("certificate 1 of 1", SPIFFE_ID, "ed25519");
	}

	@Test
	void inspectCsrShowsRequestedNamesAndSignature() throws Exception {
		TestPki.Issued leaf = this.pki.leaf(SPIFFE_ID);
		Csr csr = Csr.create(leaf.keys(), io.tether.pki.SpiffeId.parse(SPIFFE_ID), List.of("web.internal"));
		Path pem = write("web.csr", csr.toPem());
		Cli.Run run = Cli.run("inspect", pem.toString());
		assertThat(run.exitCode()).isZero();
		assertThat(run.out()).contains("CSR " + pem, SPIFFE_ID, "web.internal", "ec-p256")
			.containsPattern("signature +valid");
		Path der = this.directory.resolve("web.der");
		Files.write(der, csr.encoded());
		assertThat(Cli.run("inspect", der.toString()).out()).contains(SPIFFE_ID).containsPattern("signature +valid");
	}

	@Test
	void inspectCsrWithBadSignatureSaysInvalid() throws Exception {
		Path pem = write("bad.csr", MalformedCsrs.badSignature(SPIFFE_ID));
		Cli.Run run = Cli.run("inspect", pem.toString());
		assertThat(run.out()).containsPattern("signature +INVALID");
	}

	@Test
	void inspectGarbageFailsWithOneLine() throws Exception {
		Path junk = write("junk.bin", "not a certificate at all");
		Cli.Run run = Cli.run("inspect", junk.toString());
		assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
		assertThat(run.err()).contains("neither a certificate nor a CSR").hasLineCount(1);
	}

	@Test
	void inspectWithPemOutputIsUsageError() throws Exception {
		Path chain = write("chain.pem", Pem.write(this.pki.leaf(SPIFFE_ID).chain()));
		assertThat(Cli.run("inspect", chain.toString(), "-o", "pem").exitCode()).isEqualTo(ExitCode.USAGE);
	}

	@Test
	void inspectRevocationOfACsrIsAUsageErrorBeforeAnythingIsSent() throws Exception {
		TestPki.Issued leaf = this.pki.leaf(SPIFFE_ID);
		Path csr = write("web.csr",
				Csr.create(leaf.keys(), io.tether.pki.SpiffeId.parse(SPIFFE_ID), List.of()).toPem());
		Cli.Run run = Cli.run(Map.of("HOME", this.directory.toString()), "inspect", "--revocation", csr.toString());
		assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
		assertThat(run.err()).contains("--revocation asks about a certificate").hasLineCount(1);
		assertThat(run.out()).isEmpty();
	}

	@Test
	void inspectRevocationWithoutConfigurationSaysWhereItIsLookedFor() throws Exception {
		Path chain = write("chain.pem", Pem.write(this.pki.leaf(SPIFFE_ID).chain()));
		Cli.Run run = Cli.run(Map.of("HOME", this.directory.toString()), "inspect", "--revocation", chain.toString());
		assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
		assertThat(run.err()).startsWith("tether: No configuration").hasLineCount(1);
		assertThat(Cli.run(Map.of("HOME", this.directory.toString()), "inspect", chain.toString()).exitCode())
			.as("without --revocation, no configuration is needed")
			.isZero();
	}

	private Path write(String name, String content) throws Exception {
		Path file = this.directory.resolve(name);
		Files.writeString(file, content);
		return file;
	}

}
