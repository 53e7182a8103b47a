package io.tether.pki;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link SignedX509Certificate}: what {@link CertificateSigner} returns must
 * answer every question as the JDK's own parse of the same DER does.
 */
class SignedX509CertificateTest {

	private final CaCredential issuer = TestCertificates.intermediate(TestCertificates.root("Signed root"));

	private final X509Certificate signed = TestCertificates.leaf(this.issuer, TestKeys.of(KeyType.EC_P256),
			"spiffe://example.org/web", "web.example.org");

	@Test
	void signReturnsCertificateEqualToTheJdksParseOfItsDer() throws Exception {
		X509Certificate parsed = parse(this.signed.getEncoded());
		assertThat(this.signed).isInstanceOf(SignedX509Certificate.class);
		assertThat(this.signed).isEqualTo(parsed);
		assertThat(parsed).isEqualTo(this.signed);
		assertThat(this.signed.hashCode()).isEqualTo(parsed.hashCode());
	}

	@Test
	void fieldsKnownWithoutParsingMatchTheParsedCertificate() throws Exception {
		X509Certificate parsed = parse(this.signed.getEncoded());
		assertThat(this.signed.getSerialNumber()).isEqualTo(parsed.getSerialNumber());
		assertThat(this.signed.getNotBefore()).isEqualTo(parsed.getNotBefore());
		assertThat(this.signed.getNotAfter()).isEqualTo(parsed.getNotAfter());
	}

	@Test
	void otherPartsComeFromTheParsedCertificate() throws Exception {
		X509Certificate parsed = parse(this.signed.getEncoded());
		assertThat(this.signed.getSubjectAlternativeNames()).isEqualTo(parsed.getSubjectAlternativeNames());
		assertThat(this.signed.getIssuerX500Principal()).isEqualTo(this.issuer.certificate().getSubjectX500Principal());
		assertThat(this.signed.getPublicKey()).isEqualTo(parsed.getPublicKey());
		assertThat(this.signed.getExtendedKeyUsage()).isEqualTo(parsed.getExtendedKeyUsage());
		assertThat(this.signed.getBasicConstraints()).isEqualTo(-1);
		assertThatNoException().isThrownBy(() -> this.signed.verify(this.issuer.certificate().getPublicKey()));
	}

	@Test
	void getEncodedReturnsACopy() throws Exception {
		byte[] encoded = this.signed.getEncoded();
		encoded[0] ^= 0x01;
		assertThat(this.signed.getEncoded()).isNotEqualTo(encoded);
	}

	@Test
	void serializationWritesTheJdksCertificate() throws Exception {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(this.signed);
		}
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
			assertThat(in.readObject()).isNotInstanceOf(SignedX509Certificate.class).isEqualTo(this.signed);
		}
	}

	private static X509Certificate parse(byte[] der) throws Exception {
		return (X509Certificate) CertificateFactory.getInstance("X.509")
			.generateCertificate(new ByteArrayInputStream(der));
	}

}
