package io.tether.pki;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link Csr}.
 */
class CsrTest {

	/** Tether's default key type, for the tests that are not about key types. */
	private static final KeyType KEY_TYPE = KeyType.EC_P256;

	private static final SpiffeId SPIFFE_ID = SpiffeId.parse("spiffe://example.org/ns/web/sa/frontend");

	@Test
	void createToPemFromPemKeepsKeyAndRequestedNames() {
		KeyPair keys = TestKeys.of(KEY_TYPE);
		Csr csr = Csr.create(keys, SPIFFE_ID, List.of("web.example.org", "web.internal"));
		String pem = csr.toPem();
		assertThat(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----").contains("-----END CERTIFICATE REQUEST-----");
		Csr parsed = Csr.fromPem(pem);
		assertThat(parsed.requestedUris()).containsExactly("spiffe://example.org/ns/web/sa/frontend");
		assertThat(parsed.requestedDnsNames()).containsExactly("web.example.org", "web.internal");
		assertThat(parsed.requestsOtherNames()).isFalse();
		assertThat(parsed.keyType()).isEqualTo(KEY_TYPE);
		assertThat(parsed.publicKey().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
		assertThat(parsed.encoded()).isEqualTo(csr.encoded());
	}

	@Test
	void createWithoutNamesRequestsNone() {
		Csr csr = Csr.fromPem(Csr.create(TestKeys.of(KEY_TYPE), null, List.of()).toPem());
		assertThat(csr.requestedUris()).isEmpty();
		assertThat(csr.requestedDnsNames()).isEmpty();
		assertThat(csr.requestsOtherNames()).isFalse();
		assertThat(csr.subject()).isEmpty();
	}

	@Test
	void createWithSpiffeIdOnlyRequestsNoDnsNames() {
		Csr csr = Csr.fromPem(Csr.create(TestKeys.of(KEY_TYPE), SPIFFE_ID, List.of()).toPem());
		assertThat(csr.requestedUris()).containsExactly(SPIFFE_ID.toString());
		assertThat(csr.requestedDnsNames()).isEmpty();
	}

	@Test
	void createWhenKeyUnsupportedIsRejected() throws Exception {
		KeyPair keys = rsa1024();
		assertThatExceptionOfType(UnsupportedKeyException.class)
			.isThrownBy(() -> Csr.create(keys, SPIFFE_ID, List.of()))
			.withMessageContaining("1024 bits");
	}

	@Test
	void fromDerOfEncodedReturnsSameRequest() {
		Csr csr = Csr.create(TestKeys.of(KEY_TYPE), SPIFFE_ID, List.of("web.example.org"));
		Csr parsed = Csr.fromDer(csr.encoded());
		assertThat(parsed.encoded()).isEqualTo(csr.encoded());
		assertThat(parsed.requestedUris()).containsExactly(SPIFFE_ID.toString());
		assertThat(parsed.requestedDnsNames()).containsExactly("web.example.org");
		assertThatNoException().isThrownBy(parsed::verifyProofOfPossession);
	}

	@Test
	void encodedReturnsAFreshCopy() {
		Csr csr = Csr.create(TestKeys.of(KeyType.EC_P256), SPIFFE_ID, List.of());
		byte[] encoded = csr.encoded();
		encoded[encoded.length - 1] ^= 0x01;
		assertThat(csr.encoded()).isNotEqualTo(encoded);
	}

	@ParameterizedTest
	@EnumSource(value = KeyType.class, names = { "EC_P256", "EC_P384", "ED25519", "RSA_2048", "RSA_3072" })
	void verifyProofOfPossessionPassesForEachKeyType(KeyType type) {
		KeyPair keys = TestKeys.of(type);
		Csr csr = Csr.fromPem(Csr.create(keys, SPIFFE_ID, List.of("web.example.org")).toPem());
		assertThatNoException().isThrownBy(csr::verifyProofOfPossession);
		assertThat(csr.keyType()).isEqualTo(type);
		assertThat(csr.publicKey().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
		assertThat(csr.requestedUris()).containsExactly(SPIFFE_ID.toString());
	}

	@ParameterizedTest
	@EnumSource(value = KeyType.class, names = { "EC_P256", "ED25519", "RSA_2048" })
	void verifyProofOfPossessionWhenSignatureTamperedFails(KeyType type) {
		byte[] der = Csr.create(TestKeys.of(type), SPIFFE_ID, List.of()).encoded();
		der[der.length - 2] ^= 0x01;
		Csr tampered = Csr.fromPem(pem("CERTIFICATE REQUEST", der));
		assertThatExceptionOfType(InvalidCsrException.class).isThrownBy(tampered::verifyProofOfPossession)
			.withMessageContaining("signature does not verify")
			.satisfies((ex) -> assertThat(ex.isSignatureInvalid()).isTrue());
	}

	@Test
	void verifyProofOfPossessionWhenPublicKeySwappedFails() throws Exception {
		// the victim's request info (its key, its names) under the attacker's signature
		CertificationRequest victim = new PKCS10CertificationRequest(
				Csr.create(KEY_TYPE.generate(), SPIFFE_ID, List.of()).encoded())
			.toASN1Structure();
		CertificationRequest attacker = new PKCS10CertificationRequest(
				Csr.create(TestKeys.of(KEY_TYPE), SPIFFE_ID, List.of()).encoded())
			.toASN1Structure();
		CertificationRequest forged = new CertificationRequest(victim.getCertificationRequestInfo(),
				attacker.getSignatureAlgorithm(), attacker.getSignature());
		Csr csr = Csr.fromDer(forged.getEncoded());
		assertThat(csr.requestedUris()).containsExactly(SPIFFE_ID.toString());
		assertThatExceptionOfType(InvalidCsrException.class).isThrownBy(csr::verifyProofOfPossession)
			.satisfies((ex) -> assertThat(ex.isSignatureInvalid()).isTrue());
	}

	@Test
	void verifyProofOfPossessionWhenSignatureAlgorithmDoesNotMatchKeyFails() throws Exception {
		// an EC key's request info with the RSA signature of another request
		CertificationRequest ec = new PKCS10CertificationRequest(
				Csr.create(TestKeys.of(KeyType.EC_P256), SPIFFE_ID, List.of()).encoded())
			.toASN1Structure();
		CertificationRequest rsa = new PKCS10CertificationRequest(
				Csr.create(TestKeys.of(KeyType.RSA_2048), SPIFFE_ID, List.of()).encoded())
			.toASN1Structure();
		CertificationRequest forged = new CertificationRequest(ec.getCertificationRequestInfo(),
				rsa.getSignatureAlgorithm(), rsa.getSignature());
		Csr csr = Csr.fromDer(forged.getEncoded());
		assertThatExceptionOfType(InvalidCsrException.class).isThrownBy(csr::verifyProofOfPossession)
			.satisfies((ex) -> assertThat(ex.isSignatureInvalid()).isTrue());
	}

	@ParameterizedTest
	@ValueSource(strings = { "SHA1withECDSA", "SHA256withECDSA", "SHA384withECDSA", "SHA512withECDSA" })
	void verifyProofOfPossessionWhenEcdsaDigestDiffersFromTheKeysDefaultPasses(String algorithm) throws Exception {
		Csr csr = Csr.fromDer(bouncyCastleCsr(TestKeys.of(KEY_TYPE), algorithm).getEncoded());
		assertThatNoException().isThrownBy(csr::verifyProofOfPossession);
	}

	@Test
	void verifyProofOfPossessionWhenEcPointNotOnCurveFails() throws Exception {
		CertificationRequest valid = new PKCS10CertificationRequest(
				Csr.create(TestKeys.of(KEY_TYPE), SPIFFE_ID, List.of()).encoded())
			.toASN1Structure();
		CertificationRequestInfo info = valid.getCertificationRequestInfo();
		byte[] point = info.getSubjectPublicKeyInfo().getPublicKeyData().getBytes();
		point[point.length - 1] ^= 0x01;
		CertificationRequestInfo offCurve = new CertificationRequestInfo(info.getSubject(),
				new SubjectPublicKeyInfo(info.getSubjectPublicKeyInfo().getAlgorithm(), point), info.getAttributes());
		Csr csr = Csr.fromDer(
				new CertificationRequest(offCurve, valid.getSignatureAlgorithm(), valid.getSignature()).getEncoded());
		assertThatExceptionOfType(InvalidCsrException.class).isThrownBy(csr::verifyProofOfPossession)
			.satisfies((ex) -> assertThat(ex.isSignatureInvalid()).isTrue());
	}

	@Test
	void verifyProofOfPossessionWhenSignatureNamesAnotherDigestFails() throws Exception {
		// signed over SHA-256, labelled SHA-384
		CertificationRequest valid = new PKCS10CertificationRequest(
				Csr.create(TestKeys.of(KEY_TYPE), SPIFFE_ID, List.of()).encoded())
			.toASN1Structure();
		CertificationRequest relabelled = new CertificationRequest(valid.getCertificationRequestInfo(),
				new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA384), valid.getSignature());
		Csr csr = Csr.fromDer(relabelled.getEncoded());
		assertThatExceptionOfType(InvalidCsrException.class).isThrownBy(csr::verifyProofOfPossession)
			.satisfies((ex) -> assertThat(ex.isSignatureInvalid()).isTrue());
	}

	@Test
	void verifyProofOfPossessionWhenKeyUnsupportedFailsWithUnsupportedKey() throws Exception {
		Csr csr = Csr.fromDer(bouncyCastleCsr(rsa1024(), "SHA256withRSA").getEncoded());
		assertThatExceptionOfType(UnsupportedKeyException.class).isThrownBy(csr::verifyProofOfPossession)
			.withMessageContaining("1024 bits");
		assertThatExceptionOfType(UnsupportedKeyException.class).isThrownBy(csr::keyType);
		assertThatExceptionOfType(UnsupportedKeyException.class).isThrownBy(csr::publicKey);
	}

	@Test
	void requestsOtherNamesWhenEmailRequested() throws Exception {
		Csr csr = Csr.fromDer(bouncyCastleCsr(TestKeys.of(KEY_TYPE), "SHA256withECDSA",
				new GeneralName(GeneralName.uniformResourceIdentifier, SPIFFE_ID.toString()),
				new GeneralName(GeneralName.rfc822Name, "admin@example.org"))
			.getEncoded());
		assertThat(csr.requestsOtherNames()).isTrue();
		assertThat(csr.requestedUris()).containsExactly(SPIFFE_ID.toString());
		assertThat(csr.requestedDnsNames()).isEmpty();
	}

	@Test
	void requestsOtherNamesWhenIpAddressRequested() throws Exception {
		Csr csr = Csr.fromDer(bouncyCastleCsr(TestKeys.of(KEY_TYPE), "SHA256withECDSA",
				new GeneralName(GeneralName.iPAddress, "10.0.0.1"))
			.getEncoded());
		assertThat(csr.requestsOtherNames()).isTrue();
	}

	@Test
	void fromPemWhenBase64CutInHalfIsRejectedAsMalformed() {
		String pem = validPem();
		List<String> lines = pem.strip().lines().toList();
		String body = String.join("", lines.subList(1, lines.size() - 1));
		String truncated = lines.get(0) + "\n" + body.substring(0, body.length() / 2) + "\n"
				+ lines.get(lines.size() - 1) + "\n";
		assertMalformed(() -> Csr.fromPem(truncated));
	}

	@Test
	void fromPemWhenBase64CutInHalfOnQuantumBoundaryIsRejectedAsMalformed() {
		// decodes cleanly to the first half of the DER, so only ASN.1 parsing can catch
		// it
		String pem = validPem();
		List<String> lines = pem.strip().lines().toList();
		String body = String.join("", lines.subList(1, lines.size() - 1));
		String half = body.substring(0, (body.length() / 2) / 4 * 4);
		String truncated = lines.get(0) + "\n" + half + "\n" + lines.get(lines.size() - 1) + "\n";
		assertMalformed(() -> Csr.fromPem(truncated));
	}

	@Test
	void fromPemWhenTextCutInHalfIsRejectedAsMalformed() {
		String pem = validPem();
		String truncated = pem.substring(0, pem.length() / 2);
		assertMalformed(() -> Csr.fromPem(truncated));
	}

	@Test
	void fromPemWhenTwoRequestsAreGivenIsRejectedAsMalformed() {
		assertMalformed(() -> Csr.fromPem(validPem() + validPem())).withMessageContaining("holds 2 PEM blocks");
	}

	@Test
	void fromPemWhenTextSurroundsTheBlockIsRejectedAsMalformed() {
		for (String pem : List.of("\u0000" + validPem(), validPem() + "\u0000", "note\n" + validPem(),
				validPem() + "trailer", "\u001c" + validPem())) {
			assertMalformed(() -> Csr.fromPem(pem)).withMessageContaining("before or after its PEM block");
		}
	}

	@Test
	void fromPemAcceptsSpacesAndLineBreaksAroundTheBlock() {
		String pem = validPem();
		assertThat(Csr.fromPem("\r\n \t\r\n" + pem.replace("\n", "\r\n") + "\n\n ").publicKey())
			.isEqualTo(Csr.fromPem(pem).publicKey());
	}

	@Test
	void fromPemWhenNotPemIsRejectedAsMalformed() {
		assertMalformed(() -> Csr.fromPem("this is not a certificate signing request"))
			.withMessageContaining("No PEM 'CERTIFICATE REQUEST' block found");
	}

	@Test
	void fromPemWhenEmptyIsRejectedAsMalformed() {
		assertMalformed(() -> Csr.fromPem("")).withMessageContaining("No PEM 'CERTIFICATE REQUEST' block found");
	}

	@Test
	void fromPemWhenNullIsRejectedAsMalformed() {
		assertMalformed(() -> Csr.fromPem(null));
	}

	@Test
	void fromPemWhenCertificateIsRejectedAsMalformed() {
		String certificate = Pem.write(TestCertificates.root("Test Root CA").certificate());
		assertMalformed(() -> Csr.fromPem(certificate))
			.withMessageContaining("No PEM 'CERTIFICATE REQUEST' block found");
	}

	@Test
	void fromPemWhenCertificateDerLabelledAsRequestIsRejectedAsMalformed() throws Exception {
		byte[] certificate = TestCertificates.root("Test Root CA").certificate().getEncoded();
		assertMalformed(() -> Csr.fromPem(pem("CERTIFICATE REQUEST", certificate)));
	}

	@Test
	void fromDerWhenGarbageIsRejectedAsMalformed() {
		assertMalformed(() -> Csr.fromDer(new byte[] { 0x30, 0x03, 0x02, 0x01 }));
		assertMalformed(() -> Csr.fromDer("not DER at all".getBytes()));
		assertMalformed(() -> Csr.fromDer(new byte[0]));
	}

	@Test
	void fromDerWhenCertificateIsRejectedAsMalformed() throws Exception {
		byte[] certificate = TestCertificates.root("Test Root CA").certificate().getEncoded();
		assertMalformed(() -> Csr.fromDer(certificate));
	}

	@Test
	void fromDerWhenTruncatedIsRejectedAsMalformed() {
		byte[] der = Csr.create(TestKeys.of(KEY_TYPE), SPIFFE_ID, List.of()).encoded();
		assertThatNoException().isThrownBy(() -> Csr.fromDer(der));
		byte[] truncated = Arrays.copyOf(der, der.length - 10);
		assertMalformed(() -> Csr.fromDer(truncated));
	}

	/**
	 * A CSR, correctly signed, whose subjectAltName extension request holds no
	 * GeneralNames: it decoded, and the issuance policy then failed reading its SANs
	 * (found by {@code CsrFuzzTest}).
	 */
	@Test
	void fromDerWhenSanExtensionRequestIsCorruptIsRejectedAsMalformed() throws Exception {
		KeyPair keys = TestKeys.of(KEY_TYPE);
		JcaPKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(new X500Name(""),
				keys.getPublic());
		// the extension's value: a PrintableString, not a SEQUENCE of GeneralName
		byte[] notGeneralNames = new DERPrintableString("web.example.org").getEncoded();
		builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
				new Extensions(new Extension(Extension.subjectAlternativeName, false, notGeneralNames)));
		byte[] der = builder.build(new JcaContentSignerBuilder(KEY_TYPE.signatureAlgorithm()).build(keys.getPrivate()))
			.getEncoded();
		assertMalformed(() -> Csr.fromDer(der)).withMessageContaining("subject alternative names");
		assertMalformed(() -> Csr.fromPem(pem("CERTIFICATE REQUEST", der)))
			.withMessageContaining("subject alternative names");
	}

	/**
	 * A CSR, correctly signed, whose subject holds a UTF8String that is not UTF-8: it
	 * decoded, and printing its subject then failed (found by {@code CsrFuzzTest}).
	 */
	@Test
	void fromDerWhenSubjectIsNotValidUtf8IsRejectedAsMalformed() throws Exception {
		KeyPair keys = TestKeys.of(KEY_TYPE);
		ASN1Encodable notUtf8 = ASN1UTF8String.getInstance(new byte[] { 0x0c, 0x02, (byte) 0xc3, (byte) 0x28 });
		X500Name subject = new X500Name(new RDN[] { new RDN(BCStyle.CN, notUtf8) });
		byte[] der = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
			.build(new JcaContentSignerBuilder(KEY_TYPE.signatureAlgorithm()).build(keys.getPrivate()))
			.getEncoded();
		assertMalformed(() -> Csr.fromDer(der)).withMessageContaining("subject");
		assertMalformed(() -> Csr.fromPem(pem("CERTIFICATE REQUEST", der))).withMessageContaining("subject");
	}

	/**
	 * A PEM CSR that parses, so that the malformed variants made from it fail for their
	 * defect and not for some other reason.
	 */
	private static String validPem() {
		String pem = Csr.create(TestKeys.of(KEY_TYPE), SPIFFE_ID, List.of("web.example.org")).toPem();
		assertThatNoException().isThrownBy(() -> Csr.fromPem(pem));
		return pem;
	}

	private static ThrowableAssertAlternative<InvalidCsrException> assertMalformed(ThrowingCallable parse) {
		return assertThatExceptionOfType(InvalidCsrException.class).isThrownBy(parse)
			.satisfies((ex) -> assertThat(ex.isSignatureInvalid()).isFalse());
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	private static KeyPair rsa1024() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(1024);
		return generator.generateKeyPair();
	}

	private static PKCS10CertificationRequest bouncyCastleCsr(KeyPair keys, String signatureAlgorithm,
			GeneralName... names) throws Exception {
		JcaPKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(new X500Name(""),
				keys.getPublic());
		if (names.length > 0) {
			ExtensionsGenerator extensions = new ExtensionsGenerator();
			extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
			builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
		}
		return builder.build(new JcaContentSignerBuilder(signatureAlgorithm).build(keys.getPrivate()));
	}

}
