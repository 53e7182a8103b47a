package io.tether.cli;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import io.tether.api.AuthorityView;
import io.tether.pki.CaCredential;
import io.tether.pki.CertificateProfile;
import io.tether.pki.CertificateSigner;
import io.tether.pki.KeyIdentifiers;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.testing.TestPki;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Answers forged here with BouncyCastle, one defect each, against the checks
 * {@link OcspCheck#verify} makes.
 */
class OcspCheckTest {

	private static final String SPIFFE_ID = "spiffe://example.org/ns/web";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final TestPki pki = TestPki.root().intermediate();

	private final CaCredential issuer = this.pki.issuerCredential();

	private final TestPki.Issued leaf = this.pki.leaf(SPIFFE_ID);

	private final CertificateID id = OcspCheck.certificateId(this.leaf.certificate(), this.issuer.certificate());

	private final byte[] nonce = nonce();

	private final Instant now = Instant.now();

	@Test
	void goodAnswerOfADelegatedResponderVerifies() {
		Forged responder = delegated(this.issuer);
		OcspAnswer answer = verify(new Answer(responder).bytes());
		assertThat(answer.status()).isEqualTo("good");
		assertThat(answer.exitCode()).isEqualTo(ExitCode.OK);
		assertThat(answer.serialNumber()).isEqualTo(this.leaf.certificate().getSerialNumber().toString(16));
		assertThat(answer.responder()).contains("CN=OCSP responder");
		assertThat(answer.revokedAt()).isNull();
		assertThat(answer.nextUpdate()).isAfter(this.now);
	}

	@Test
	void revokedAnswerCarriesTimeAndReasonAndExitsSix() {
		Instant revokedAt = this.now.minusSeconds(60);
		Answer forged = new Answer(delegated(this.issuer));
		forged.status = new RevokedStatus(Date.from(revokedAt), CRLReason.keyCompromise);
		OcspAnswer answer = verify(forged.bytes());
		assertThat(answer.status()).isEqualTo("revoked");
		assertThat(answer.reason()).isEqualTo("keyCompromise");
		assertThat(answer.revokedAt()).isEqualTo(revokedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
		assertThat(answer.exitCode()).isEqualTo(ExitCode.REVOKED).isEqualTo(6);
		assertThat(answer.json().get("reason").asString()).isEqualTo("keyCompromise");
	}

	@Test
	void revokedAnswerWithoutReasonIsUnspecified() {
		Answer forged = new Answer(delegated(this.issuer));
		forged.status = new RevokedStatus(new org.bouncycastle.asn1.ocsp.RevokedInfo(
				new org.bouncycastle.asn1.ASN1GeneralizedTime(Date.from(this.now)), null));
		assertThat(verify(forged.bytes()).reason()).isEqualTo("unspecified");
	}

	@Test
	void unknownAnswerExitsSeven() {
		Answer forged = new Answer(delegated(this.issuer));
		forged.status = new UnknownStatus();
		OcspAnswer answer = verify(forged.bytes());
		assertThat(answer.status()).isEqualTo("unknown");
		assertThat(answer.exitCode()).isEqualTo(ExitCode.STATUS_UNKNOWN).isEqualTo(7);
	}

	@Test
	void answerSignedByTheIssuerItselfVerifies() {
		Answer forged = new Answer(new Forged(this.issuer.certificate(), this.issuer.privateKey()));
		forged.certificates = List.of();
		assertThat(verify(forged.bytes()).responder())
			.isEqualTo(this.issuer.certificate().getSubjectX500Principal().getName());
	}

	@Test
	void responderWithoutOcspSigningIsRefused() {
		// a leaf of the same issuer: certified by it, but for TLS, not for OCSP
		TestPki.Issued other = this.pki.leaf("spiffe://example.org/ns/impostor");
		Answer forged = new Answer(new Forged(other.certificate(), other.keys().getPrivate()));
		assertRefused(forged.bytes(), "not authorized to sign OCSP answers");
	}

	@Test
	void responderOfAnotherCaIsRefused() {
		Answer forged = new Answer(delegated(TestPki.root().intermediate().issuerCredential()));
		assertRefused(forged.bytes(), "is not certified by the issuer");
	}

	@Test
	void signatureByAnotherKeyThanTheResponderCertificatesIsRefused() {
		Forged responder = delegated(this.issuer);
		Answer forged = new Answer(new Forged(responder.certificate(), KeyType.EC_P256.generate().getPrivate()));
		assertRefused(forged.bytes(), "signature does not verify");
	}

	@Test
	void answerWithoutTheNonceIsRefused() {
		Answer forged = new Answer(delegated(this.issuer));
		forged.nonce = null;
		assertRefused(forged.bytes(), "does not echo the nonce");
	}

	@Test
	void answerWithAnotherNonceIsRefused() {
		Answer forged = new Answer(delegated(this.issuer));
		forged.nonce = nonce();
		assertRefused(forged.bytes(), "nonce is not the one sent");
	}

	@Test
	void answerAboutAnotherCertificateIsRefused() {
		Answer forged = new Answer(delegated(this.issuer));
		forged.id = OcspCheck.certificateId(this.pki.leaf(SPIFFE_ID).certificate(), this.issuer.certificate());
		assertRefused(forged.bytes(), "answers about another certificate");
	}

	@Test
	void staleAnswerIsRefused() {
		Answer forged = new Answer(delegated(this.issuer));
		forged.thisUpdate = this.now.minus(Duration.ofHours(2));
		forged.nextUpdate = this.now.minus(Duration.ofHours(1));
		assertRefused(forged.bytes(), "is stale");
	}

	@Test
	void answerFromTheFutureIsRefused() {
		Answer forged = new Answer(delegated(this.issuer));
		forged.thisUpdate = this.now.plus(Duration.ofHours(1));
		forged.nextUpdate = this.now.plus(Duration.ofHours(2));
		assertRefused(forged.bytes(), "from the future");
	}

	@Test
	void responderCertificateThatExpiredIsRefused() {
		Answer forged = new Answer(delegated(this.issuer));
		forged.nextUpdate = this.now.plus(Duration.ofDays(2));
		assertThatExceptionOfType(CliException.class)
			.isThrownBy(() -> OcspCheck.verify(forged.bytes(), this.id, this.issuer.certificate(), this.nonce,
					this.now.plus(Duration.ofDays(1))))
			.withMessageContaining("responder certificate")
			.withMessageContaining("is not valid now");
	}

	@Test
	void errorStatusIsAFailureThatNamesIt() throws Exception {
		byte[] tryLater = new OCSPRespBuilder().build(OCSPRespBuilder.TRY_LATER, null).getEncoded();
		assertThatExceptionOfType(CliException.class).isThrownBy(() -> verify(tryLater))
			.withMessageContaining("did not answer")
			.withMessageContaining("tryLater")
			.extracting(CliException::exitCode)
			.isEqualTo(ExitCode.FAILED);
	}

	@Test
	void garbageIsNotAnOcspResponse() {
		assertRefused("<html>proxy error</html>".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
				"not an OCSP response");
	}

	@Test
	void requestAsksAboutTheCertificateWithTheNonce() throws Exception {
		OCSPReq request = new OCSPReq(OcspCheck.request(this.id, this.nonce));
		assertThat(request.getRequestList()).hasSize(1);
		assertThat(request.getRequestList()[0].getCertID().getSerialNumber())
			.isEqualTo(this.leaf.certificate().getSerialNumber());
		assertThat(request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce).getExtnValue().getOctets())
			.isEqualTo(new org.bouncycastle.asn1.DEROctetString(this.nonce).getEncoded());
	}

	@Test
	void issuerIsTakenFromTheFileWhenItIsThere() {
		assertThat(OcspCheck.issuer(this.leaf.chain(), () -> {
			throw new AssertionError("the CA is not asked");
		})).isEqualTo(this.issuer.certificate());
	}

	@Test
	void issuerIsTheAuthorityOfTheLeafsAuthorityKeyIdentifier() {
		List<AuthorityView> authorities = List.of(authority("root", this.pki.rootCredential().certificate()),
				authority("intermediate", this.issuer.certificate()));
		assertThat(OcspCheck.issuer(List.of(this.leaf.certificate()), () -> authorities))
			.isEqualTo(this.issuer.certificate());
	}

	@Test
	void leafOfAnotherCaHasNoIssuerHere() {
		List<AuthorityView> authorities = List.of(authority("intermediate", this.issuer.certificate()));
		X509Certificate foreign = TestPki.root().intermediate().leaf(SPIFFE_ID).certificate();
		assertThatExceptionOfType(CliException.class)
			.isThrownBy(() -> OcspCheck.issuer(List.of(foreign), () -> authorities))
			.withMessageContaining("No authority of this CA has the key id")
			.withMessageContaining("is it a certificate of this CA?");
	}

	static AuthorityView authority(String kind, X509Certificate certificate) {
		return new AuthorityView(kind + "-id", kind, 1, certificate.getSubjectX500Principal().getName(), "1", "ec-p256",
				"kek", certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(), "active", null,
				null, null, "00", KeyIdentifiers.hex(KeyIdentifiers.subjectKeyIdentifier(certificate)), null, null,
				Pem.write(List.of(certificate)));
	}

	private OcspAnswer verify(byte[] der) {
		return OcspCheck.verify(der, this.id, this.issuer.certificate(), this.nonce, this.now);
	}

	private void assertRefused(byte[] der, String why) {
		assertThatExceptionOfType(CliException.class).isThrownBy(() -> verify(der))
			.withMessageStartingWith("The OCSP answer about " + this.id.getSerialNumber().toString(16))
			.withMessageContaining(why)
			.withMessageEndingWith("do not rely on it")
			.extracting(CliException::exitCode)
			.isEqualTo(ExitCode.FAILED);
	}

	private static Forged delegated(CaCredential authority) {
		KeyPair keys = KeyType.EC_P256.generate();
		X509Certificate certificate = new CertificateSigner(Clock.systemUTC(), RANDOM).sign(
				new CertificateProfile.OcspSigner("OCSP responder", "Tether Test", Duration.ofHours(1)),
				keys.getPublic(), authority);
		return new Forged(certificate, keys.getPrivate());
	}

	private static byte[] nonce() {
		byte[] nonce = new byte[16];
		RANDOM.nextBytes(nonce);
		return nonce;
	}

	/**
	 * Who signs a forged answer: the certificate it names and sends, and the key it is
	 * really signed with.
	 */
	private record Forged(X509Certificate certificate, PrivateKey key) {
	}

	/**
	 * A response as the server builds one, every part of it replaceable.
	 */
	private final class Answer {

		private final Forged signer;

		private List<X509Certificate> certificates;

		private CertificateID id = OcspCheckTest.this.id;

		private CertificateStatus status = CertificateStatus.GOOD;

		private byte[] nonce = OcspCheckTest.this.nonce;

		private Instant thisUpdate = OcspCheckTest.this.now.minusSeconds(1);

		private Instant nextUpdate = OcspCheckTest.this.now.plus(Duration.ofHours(1));

		Answer(Forged signer) {
			this.signer = signer;
			this.certificates = List.of(signer.certificate(), OcspCheckTest.this.issuer.certificate());
		}

		byte[] bytes() {
			try {
				BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(
						SubjectPublicKeyInfo.getInstance(this.signer.certificate().getPublicKey().getEncoded()),
						new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1)));
				builder.addResponse(this.id, this.status, Date.from(this.thisUpdate), Date.from(this.nextUpdate), null);
				if (this.nonce != null) {
					builder.setResponseExtensions(new Extensions(OcspCheck.nonceExtension(this.nonce)));
				}
				List<X509CertificateHolder> chain = new ArrayList<>();
				for (X509Certificate certificate : this.certificates) {
					chain.add(new JcaX509CertificateHolder(certificate));
				}
				return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL,
						builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(this.signer.key()),
								chain.toArray(X509CertificateHolder[]::new), new Date()))
					.getEncoded();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
