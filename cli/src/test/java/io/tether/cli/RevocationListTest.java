package io.tether.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.tether.api.AuthorityView;
import io.tether.pki.CaCredential;
import io.tether.pki.Crls;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RevocationListTest {

	private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

	private final CaCredential issuer = TestPki.root().intermediate().issuerCredential();

	private final AuthorityView authority = OcspCheckTest.authority("intermediate", this.issuer.certificate());

	@Test
	void verifiedCrlListsItsEntriesEarliestFirstWithTheirReasons() {
		byte[] der = Crls.sign(this.issuer, BigInteger.valueOf(7), this.now, this.now.plus(Duration.ofHours(24)),
				List.of(new Crls.Entry(BigInteger.valueOf(0xbeef), this.now.minusSeconds(10), 1),
						new Crls.Entry(BigInteger.valueOf(0xcafe), this.now.minusSeconds(60), 0)));
		RevocationList crl = RevocationList.verify(this.authority, this.issuer.certificate(), der);
		assertThat(crl.number()).isEqualTo(7);
		assertThat(crl.thisUpdate()).isEqualTo(this.now);
		assertThat(crl.nextUpdate()).isEqualTo(this.now.plus(Duration.ofHours(24)));
		assertThat(crl.entries()).containsExactly(
				new RevocationList.Entry("cafe", this.now.minusSeconds(60), "unspecified"),
				new RevocationList.Entry("beef", this.now.minusSeconds(10), "keyCompromise"));
		JsonNode json = crl.json();
		assertThat(json.get("crlNumber").asString()).isEqualTo("7");
		assertThat(json.get("authority").get("kind").asString()).isEqualTo("intermediate");
		assertThat(json.get("entries").get(1).get("reason").asString()).isEqualTo("keyCompromise");
	}

	@Test
	void pemIsTheSameCrlForOpenssl() throws Exception {
		byte[] der = Crls.sign(this.issuer, BigInteger.ONE, this.now, this.now.plusSeconds(60), List.of());
		String pem = RevocationList.verify(this.authority, this.issuer.certificate(), der).pem();
		assertThat(pem).startsWith("-----BEGIN X509 CRL-----\n").endsWith("-----END X509 CRL-----\n");
		X509CRL parsed = (X509CRL) CertificateFactory.getInstance("X.509")
			.generateCRL(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
		assertThat(parsed.getEncoded()).isEqualTo(der);
	}

	@Test
	void crlSignedByAnotherKeyOfTheSameNameIsRefused() {
		// every TestPki intermediate is "Test Intermediate CA": only the signature tells
		CaCredential impostor = TestPki.root().intermediate().issuerCredential();
		byte[] der = Crls.sign(impostor, BigInteger.ONE, this.now, this.now.plusSeconds(60), List.of());
		assertThatExceptionOfType(CliException.class)
			.isThrownBy(() -> RevocationList.verify(this.authority, this.issuer.certificate(), der))
			.withMessageContaining("The CRL of intermediate:1 is not signed by its certificate")
			.extracting(CliException::exitCode)
			.isEqualTo(ExitCode.FAILED);
	}

	@Test
	void crlOfAnotherIssuerIsRefused() {
		CaCredential root = TestPki.root().rootCredential();
		byte[] der = Crls.sign(root, BigInteger.ONE, this.now, this.now.plusSeconds(60), List.of());
		assertThatExceptionOfType(CliException.class)
			.isThrownBy(() -> RevocationList.verify(this.authority, this.issuer.certificate(), der))
			.withMessageContaining("names the issuer");
	}

	@Test
	void garbageIsNotACrl() {
		assertThatExceptionOfType(CliException.class)
			.isThrownBy(() -> RevocationList.verify(this.authority, this.issuer.certificate(),
					"not found".getBytes(StandardCharsets.US_ASCII)))
			.withMessageContaining("is not a DER CRL");
	}

	@Test
	void tableShowsASummaryPerAuthorityAndEveryEntry() {
		byte[] der = Crls.sign(this.issuer, BigInteger.valueOf(3), this.now, this.now.plus(Duration.ofHours(1)),
				List.of(new Crls.Entry(BigInteger.valueOf(0xbeef), this.now, 1)));
		StringWriter out = new StringWriter();
		CrlCommand.Show.print(List.of(RevocationList.verify(this.authority, this.issuer.certificate(), der)),
				new PrintWriter(out));
		assertThat(out.toString()).contains("AUTHORITY", "CRL NUMBER", "ENTRIES", this.authority.keyId(), "in 59m")
			.containsPattern("intermediate:1 +beef +\\S+ +keyCompromise");
		StringWriter empty = new StringWriter();
		der = Crls.sign(this.issuer, BigInteger.valueOf(4), this.now, this.now.plus(Duration.ofHours(1)), List.of());
		CrlCommand.Show.print(List.of(RevocationList.verify(this.authority, this.issuer.certificate(), der)),
				new PrintWriter(empty));
		assertThat(empty.toString()).contains("no revoked certificates listed");
	}

}
