package io.tether.pki;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CrlsTest {

	private final KeyPair keys = KeyType.EC_P256.generate();

	private final X509Certificate ca = new CertificateSigner(Clock.systemUTC(), new SecureRandom())
		.selfSign(new CertificateProfile.Root("Test CA", "Test", Duration.ofDays(1)), this.keys);

	@Test
	void aCrlThatJavaParsesVerifiesAndReadsEntryByEntry() throws Exception {
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		List<Crls.Entry> entries = List.of(new Crls.Entry(BigInteger.valueOf(7), now.minusSeconds(60), 1),
				new Crls.Entry(BigInteger.valueOf(8), now.minusSeconds(30), 0),
				new Crls.Entry(new BigInteger("7f00000000000000000000000000000000000001", 16), now, 5));
		X509CRL crl = parse(Crls.sign(new CaCredential(this.ca, this.keys.getPrivate()), BigInteger.valueOf(42), now,
				now.plus(Duration.ofHours(1)), entries));
		crl.verify(this.ca.getPublicKey());
		assertThat(crl.getVersion()).isEqualTo(2);
		assertThat(crl.getIssuerX500Principal()).isEqualTo(this.ca.getSubjectX500Principal());
		assertThat(crl.getThisUpdate().toInstant()).isEqualTo(now);
		assertThat(crl.getNextUpdate().toInstant()).isEqualTo(now.plus(Duration.ofHours(1)));
		assertThat(crl.getRevokedCertificates()).hasSize(3);
		assertThat(crl.getRevokedCertificate(BigInteger.valueOf(7)).getRevocationReason())
			.isEqualTo(CRLReason.KEY_COMPROMISE);
		assertThat(crl.getRevokedCertificate(BigInteger.valueOf(7)).getRevocationDate().toInstant())
			.isEqualTo(now.minusSeconds(60));
		assertThat(crl.getRevokedCertificate(BigInteger.valueOf(8)).getRevocationReason()).as("unspecified is left out")
			.isNull();
		assertThat(crl.getRevokedCertificate(new BigInteger("7f00000000000000000000000000000000000001", 16))
			.getRevocationReason()).isEqualTo(CRLReason.CESSATION_OF_OPERATION);
		byte[] number = crl.getExtensionValue(Extension.cRLNumber.getId());
		assertThat(ASN1Integer.getInstance(ASN1OctetString.getInstance(number).getOctets()).getValue())
			.isEqualTo(BigInteger.valueOf(42));
		assertThat(crl.getExtensionValue(Extension.authorityKeyIdentifier.getId())).isNotNull();
		assertThat(crl.getCriticalExtensionOIDs()).isNullOrEmpty();
	}

	@Test
	void anEmptyCrlHasNoRevokedCertificatesField() throws Exception {
		Instant now = Instant.now();
		X509CRL crl = parse(Crls.sign(new CaCredential(this.ca, this.keys.getPrivate()), BigInteger.ONE, now,
				now.plusSeconds(60), List.of()));
		crl.verify(this.ca.getPublicKey());
		assertThat(crl.getRevokedCertificates()).isNull();
	}

	@Test
	void manyEntries() throws Exception {
		Instant now = Instant.now();
		List<Crls.Entry> entries = new ArrayList<>();
		for (int i = 1; i <= 20_000; i++) {
			entries.add(new Crls.Entry(BigInteger.valueOf(i), now.minusSeconds(i % 500), i % 6));
		}
		X509CRL crl = parse(Crls.sign(new CaCredential(this.ca, this.keys.getPrivate()), BigInteger.TWO, now,
				now.plusSeconds(60), entries));
		crl.verify(this.ca.getPublicKey());
		assertThat(crl.getRevokedCertificates()).hasSize(20_000);
	}

	@Test
	void reasonNamesAndCodes() {
		assertThat(Crls.reasonCode("keyCompromise")).isEqualTo(1);
		assertThat(Crls.reasonCode("cACompromise")).isEqualTo(2);
		assertThat(Crls.reasonCode("privilegeWithdrawn")).isEqualTo(9);
		assertThat(Crls.reasonName(5)).isEqualTo("cessationOfOperation");
		assertThat(Crls.reasonName(7)).isEqualTo("unspecified");
		assertThatIllegalArgumentException().isThrownBy(() -> Crls.reasonCode("stolen"));
		assertThatIllegalArgumentException().isThrownBy(() -> Crls.reasonCode(""));
	}

	@Test
	void nextUpdateMustFollowThisUpdate() {
		Instant now = Instant.now();
		assertThatIllegalArgumentException().isThrownBy(() -> Crls
			.sign(new CaCredential(this.ca, this.keys.getPrivate()), BigInteger.ONE, now, now, List.of()));
	}

	private static X509CRL parse(byte[] der) throws Exception {
		return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
	}

}
