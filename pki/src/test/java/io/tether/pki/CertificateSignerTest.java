package io.tether.pki;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Tests for {@link CertificateSigner}. Time comes from a fixed clock.
 */
class CertificateSignerTest {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	private static final String BASIC_CONSTRAINTS = "2.5.29.19";

	private static final String KEY_USAGE = "2.5.29.15";

	private static final String SUBJECT_KEY_IDENTIFIER = "2.5.29.14";

	private static final String AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";

	private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

	private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

	private static final int URI_NAME = 6;

	private static final int DNS_NAME = 2;

	private static final String[] KEY_USAGE_NAMES = { "digitalSignature", "nonRepudiation", "keyEncipherment",
			"dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly" };

	private final CertificateSigner signer = new CertificateSigner(CLOCK, new SecureRandom());

	private final KeyPair rootKeys = KeyType.EC_P256.generate();

	private final KeyPair intermediateKeys = KeyType.EC_P384.generate();

	private final KeyPair leafKeys = KeyType.EC_P256.generate();

	@Test
	void selfSignCreatesSelfSignedRoot() throws Exception {
		X509Certificate root = root(Duration.ofDays(365));
		assertThat(root.getSubjectX500Principal()).isEqualTo(root.getIssuerX500Principal());
		assertThat(root.getSubjectX500Principal().getName()).contains("CN=Test Root CA").contains("O=Tether Test");
		assertThatNoException().isThrownBy(() -> root.verify(this.rootKeys.getPublic()));
		assertThat(root.getPublicKey().getEncoded()).isEqualTo(this.rootKeys.getPublic().getEncoded());
	}

	@Test
	void selfSignCreatesCaWithCertSignAndCrlSignUsage() {
		X509Certificate root = root(Duration.ofDays(365));
		// CA:TRUE with room for an intermediate below it
		assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(1);
		assertThat(keyUsages(root)).containsExactlyInAnyOrder("keyCertSign", "cRLSign");
		assertThat(root.getCriticalExtensionOIDs()).contains(BASIC_CONSTRAINTS, KEY_USAGE);
	}

	@Test
	void selfSignHasKeyIdentifiersNamingItself() throws Exception {
		X509Certificate root = root(Duration.ofDays(365));
		assertThat(root.getNonCriticalExtensionOIDs()).contains(SUBJECT_KEY_IDENTIFIER, AUTHORITY_KEY_IDENTIFIER);
		assertThat(authorityKeyIdentifier(root)).isEqualTo(subjectKeyIdentifier(root));
	}

	@Test
	void selfSignBackdatesNotBeforeAndEndsAfterValidity() {
		X509Certificate root = root(Duration.ofDays(365));
		assertNotBeforeIsBackdatedAtMostAMinute(root);
		assertThat(root.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(365)));
	}

	@Test
	void intermediateHasPathLenZeroAndCaUsages() {
		CaCredential root = rootCredential(Duration.ofDays(365));
		X509Certificate intermediate = intermediate(root, Duration.ofDays(90));
		assertThat(intermediate.getBasicConstraints()).isZero();
		assertThat(keyUsages(intermediate)).containsExactlyInAnyOrder("keyCertSign", "cRLSign");
		assertThat(intermediate.getCriticalExtensionOIDs()).contains(BASIC_CONSTRAINTS, KEY_USAGE);
		assertThat(intermediate.getSubjectX500Principal().getName()).contains("CN=Test Intermediate CA");
	}

	@Test
	void intermediateIsSignedByRoot() throws Exception {
		CaCredential root = rootCredential(Duration.ofDays(365));
		X509Certificate intermediate = intermediate(root, Duration.ofDays(90));
		assertThat(intermediate.getIssuerX500Principal()).isEqualTo(root.certificate().getSubjectX500Principal());
		assertThatNoException().isThrownBy(() -> intermediate.verify(this.rootKeys.getPublic()));
		assertThatExceptionOfType(SignatureException.class)
			.isThrownBy(() -> intermediate.verify(this.intermediateKeys.getPublic()));
		assertThat(authorityKeyIdentifier(intermediate)).isEqualTo(subjectKeyIdentifier(root.certificate()));
		assertThat(subjectKeyIdentifier(intermediate)).isNotEqualTo(subjectKeyIdentifier(root.certificate()));
	}

	@Test
	void intermediateValidityIsCappedAtRootNotAfter() {
		CaCredential root = rootCredential(Duration.ofDays(10));
		X509Certificate intermediate = intermediate(root, Duration.ofDays(20));
		assertThat(intermediate.getNotAfter()).isEqualTo(root.certificate().getNotAfter());
	}

	@Test
	void leafIsNotCa() {
		X509Certificate leaf = leaf(issuer(), List.of());
		assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
		assertThat(leaf.getCriticalExtensionOIDs()).contains(BASIC_CONSTRAINTS, KEY_USAGE);
	}

	@Test
	void leafWithoutDnsNamesHasClientAuthOnly() throws Exception {
		X509Certificate leaf = leaf(issuer(), List.of());
		assertThat(leaf.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
	}

	@Test
	void leafWithDnsNamesHasClientAuthAndServerAuth() throws Exception {
		X509Certificate leaf = leaf(issuer(), List.of("web.example.org"));
		assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder(CLIENT_AUTH, SERVER_AUTH);
	}

	@Test
	void leafHasSpiffeIdAsOnlyUriSan() throws Exception {
		X509Certificate leaf = leaf(issuer(), List.of("web.example.org", "web.internal"));
		assertThat(names(leaf, URI_NAME)).containsExactly("spiffe://example.org/ns/web/sa/frontend");
	}

	@Test
	void leafHasRequestedDnsSans() throws Exception {
		X509Certificate leaf = leaf(issuer(), List.of("web.example.org", "web.internal"));
		assertThat(names(leaf, DNS_NAME)).containsExactly("web.example.org", "web.internal");
		assertThat(leaf.getSubjectAlternativeNames()).hasSize(3);
	}

	@Test
	void leafWithoutDnsNamesHasNoDnsSans() throws Exception {
		X509Certificate leaf = leaf(issuer(), List.of());
		assertThat(names(leaf, DNS_NAME)).isEmpty();
		assertThat(leaf.getSubjectAlternativeNames()).hasSize(1);
	}

	@ParameterizedTest
	@EnumSource(value = KeyType.class, names = { "EC_P256", "EC_P384", "ED25519" })
	void leafKeyUsageIsDigitalSignatureForNonRsaKeys(KeyType type) {
		X509Certificate leaf = leaf(issuer(), TestKeys.of(type).getPublic(), List.of());
		assertThat(keyUsages(leaf)).containsExactly("digitalSignature");
	}

	@ParameterizedTest
	@EnumSource(value = KeyType.class, names = { "RSA_2048", "RSA_3072" })
	void leafKeyUsageAddsKeyEnciphermentForRsaKeys(KeyType type) {
		X509Certificate leaf = leaf(issuer(), TestKeys.of(type).getPublic(), List.of());
		assertThat(keyUsages(leaf)).containsExactlyInAnyOrder("digitalSignature", "keyEncipherment");
	}

	@Test
	void leafHasKeyIdentifiersAndAuthorityKeyIdentifierIsIssuerSubjectKeyIdentifier() throws Exception {
		CaCredential issuer = issuer();
		X509Certificate leaf = leaf(issuer, List.of());
		assertThat(leaf.getExtensionValue(SUBJECT_KEY_IDENTIFIER)).isNotNull();
		assertThat(leaf.getExtensionValue(AUTHORITY_KEY_IDENTIFIER)).isNotNull();
		assertThat(authorityKeyIdentifier(leaf)).isEqualTo(subjectKeyIdentifier(issuer.certificate()));
		assertThat(subjectKeyIdentifier(leaf)).isNotEqualTo(subjectKeyIdentifier(issuer.certificate()));
	}

	@Test
	void leafAuthorityKeyIdentifierIsIssuerSubjectKeyIdentifierWhenIssuerUsesAnotherKeyIdMethod() throws Exception {
		KeyPair caKeys = KeyType.EC_P256.generate();
		X500Name name = new X500Name("CN=Imported CA");
		X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.TWO,
				Date.from(NOW.minus(Duration.ofDays(1))), Date.from(NOW.plus(Duration.ofDays(30))), name,
				caKeys.getPublic());
		builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
		builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
		// RFC 5280 4.2.1.2 method (2): a valid SKI that is not the SHA-1 of the key
		builder.addExtension(Extension.subjectKeyIdentifier, false,
				new JcaX509ExtensionUtils().createTruncatedSubjectKeyIdentifier(caKeys.getPublic()));
		X509Certificate ca = new JcaX509CertificateConverter()
			.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
		X509Certificate leaf = leaf(new CaCredential(ca, caKeys.getPrivate()), List.of());
		assertThat(authorityKeyIdentifier(leaf)).isEqualTo(subjectKeyIdentifier(ca));
	}

	@Test
	void leafIsSignedByIssuer() throws Exception {
		CaCredential issuer = issuer();
		X509Certificate leaf = leaf(issuer, List.of());
		assertThat(leaf.getIssuerX500Principal()).isEqualTo(issuer.certificate().getSubjectX500Principal());
		assertThatNoException().isThrownBy(() -> leaf.verify(this.intermediateKeys.getPublic()));
		assertThatExceptionOfType(SignatureException.class).isThrownBy(() -> leaf.verify(this.rootKeys.getPublic()));
		assertThat(leaf.getPublicKey().getEncoded()).isEqualTo(this.leafKeys.getPublic().getEncoded());
	}

	@ParameterizedTest
	@EnumSource(value = KeyType.class, names = { "EC_P256", "EC_P384", "ED25519", "RSA_2048" })
	void leafVerifiesWithIssuerKeyOfEachType(KeyType issuerType) {
		KeyPair issuerKeys = TestKeys.of(issuerType);
		X509Certificate root = this.signer
			.selfSign(new CertificateProfile.Root("Test Root CA", "Tether Test", Duration.ofDays(30)), issuerKeys);
		assertThatNoException().isThrownBy(() -> root.verify(issuerKeys.getPublic()));
		X509Certificate leaf = leaf(new CaCredential(root, issuerKeys.getPrivate()), List.of());
		assertThatNoException().isThrownBy(() -> leaf.verify(issuerKeys.getPublic()));
	}

	@Test
	void serialNumbersArePositiveRandomAndFitIn20Octets() {
		CaCredential issuer = issuer();
		List<X509Certificate> certificates = new ArrayList<>();
		certificates.add(issuer.certificate());
		for (int i = 0; i < 20; i++) {
			certificates.add(leaf(issuer, List.of()));
		}
		Set<BigInteger> serials = new HashSet<>();
		for (X509Certificate certificate : certificates) {
			BigInteger serial = certificate.getSerialNumber();
			assertThat(serial.signum()).isPositive();
			// at least 128 random bits (fails by chance once in 2^24 draws of 152 bits)
			assertThat(serial.bitLength()).isBetween(128, 159);
			// DER INTEGER contents, sign octet included
			assertThat(serial.toByteArray()).hasSizeLessThanOrEqualTo(20);
			serials.add(serial);
		}
		assertThat(serials).hasSameSizeAs(certificates);
	}

	@Test
	void twoLeavesGetDifferentSerials() {
		CaCredential issuer = issuer();
		assertThat(leaf(issuer, List.of()).getSerialNumber()).isNotEqualTo(leaf(issuer, List.of()).getSerialNumber());
	}

	@Test
	void leafBackdatesNotBeforeAndEndsAfterTtl() {
		X509Certificate leaf = leaf(issuer(), List.of());
		assertNotBeforeIsBackdatedAtMostAMinute(leaf);
		assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(1)));
	}

	@Test
	void leafSubjectIsDerivedFromItsSpiffeId() {
		X509Certificate leaf = leaf(issuer(), List.of());
		assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=ns/web/sa/frontend,O=example.org");
	}

	@Test
	void leafSubjectIsTheProfilesWhenSet() {
		X509Certificate leaf = this.signer.sign(
				new CertificateProfile.Leaf(SpiffeId.parse("spiffe://example.org/web"), List.of(), Duration.ofHours(1),
						LeafSubjects.parse("CN=orders,OU=payments,O=Example Corp")),
				this.leafKeys.getPublic(), issuer());
		assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=orders,OU=payments,O=Example Corp");
		assertThat(SpiffeId.of(leaf)).contains(SpiffeId.parse("spiffe://example.org/web"));
	}

	@Test
	void leafNotAfterIsCappedAtIssuerNotAfter() {
		CaCredential root = rootCredential(Duration.ofDays(365));
		CaCredential issuer = new CaCredential(intermediate(root, Duration.ofDays(1)),
				this.intermediateKeys.getPrivate());
		X509Certificate leaf = this.signer.sign(
				new CertificateProfile.Leaf(SpiffeId.parse("spiffe://example.org/web"), List.of(), Duration.ofDays(2)),
				this.leafKeys.getPublic(), issuer);
		assertThat(leaf.getNotAfter()).isEqualTo(issuer.certificate().getNotAfter());
		assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(1)));
	}

	@Test
	void signWhenIssuerExpiredIsRejected() {
		CertificateSigner past = new CertificateSigner(Clock.offset(CLOCK, Duration.ofDays(-2)), new SecureRandom());
		X509Certificate root = past
			.selfSign(new CertificateProfile.Root("Old Root CA", "Tether Test", Duration.ofDays(1)), this.rootKeys);
		CaCredential expired = new CaCredential(root, this.rootKeys.getPrivate());
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> leaf(expired, List.of()))
			.withMessageContaining("Old Root CA")
			.withMessageContaining("expired");
	}

	@Test
	void signWhenIssuerExpiresThisInstantIsRejected() {
		CertificateSigner past = new CertificateSigner(Clock.offset(CLOCK, Duration.ofDays(-1)), new SecureRandom());
		X509Certificate root = past
			.selfSign(new CertificateProfile.Root("Old Root CA", "Tether Test", Duration.ofDays(1)), this.rootKeys);
		assertThat(root.getNotAfter().toInstant()).isEqualTo(NOW);
		CaCredential expiring = new CaCredential(root, this.rootKeys.getPrivate());
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> leaf(expiring, List.of()))
			.withMessageContaining("expired");
	}

	@Test
	void signWhenProfileIsRootIsRejected() {
		CaCredential root = rootCredential(Duration.ofDays(365));
		assertThatIllegalArgumentException().isThrownBy(
				() -> this.signer.sign(new CertificateProfile.Root("Other Root", "Tether Test", Duration.ofDays(1)),
						this.intermediateKeys.getPublic(), root))
			.withMessageContaining("selfSign");
	}

	@Test
	void signWhenSubjectKeyUnsupportedIsRejected() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(1024);
		PublicKey weak = generator.generateKeyPair().getPublic();
		CaCredential issuer = issuer();
		assertThatExceptionOfType(UnsupportedKeyException.class).isThrownBy(() -> leaf(issuer, weak, List.of()));
	}

	@Test
	void signWhenArgumentNullIsRejected() {
		CaCredential issuer = issuer();
		CertificateProfile profile = new CertificateProfile.Leaf(SpiffeId.parse("spiffe://example.org/web"), List.of(),
				Duration.ofHours(1));
		assertThatNullPointerException().isThrownBy(() -> this.signer.sign(null, this.leafKeys.getPublic(), issuer))
			.withMessage("'profile' must not be null");
		assertThatNullPointerException().isThrownBy(() -> this.signer.sign(profile, null, issuer))
			.withMessage("'subjectKey' must not be null");
		assertThatNullPointerException().isThrownBy(() -> this.signer.sign(profile, this.leafKeys.getPublic(), null))
			.withMessage("'issuer' must not be null");
	}

	@Test
	void constructorWhenArgumentNullIsRejected() {
		assertThatNullPointerException().isThrownBy(() -> new CertificateSigner(null, new SecureRandom()))
			.withMessage("'clock' must not be null");
		assertThatNullPointerException().isThrownBy(() -> new CertificateSigner(CLOCK, null))
			.withMessage("'random' must not be null");
	}

	private X509Certificate root(Duration validity) {
		return this.signer.selfSign(new CertificateProfile.Root("Test Root CA", "Tether Test", validity),
				this.rootKeys);
	}

	private CaCredential rootCredential(Duration validity) {
		return new CaCredential(root(validity), this.rootKeys.getPrivate());
	}

	private X509Certificate intermediate(CaCredential root, Duration validity) {
		return this.signer.sign(new CertificateProfile.Intermediate("Test Intermediate CA", "Tether Test", validity),
				this.intermediateKeys.getPublic(), root);
	}

	private CaCredential issuer() {
		CaCredential root = rootCredential(Duration.ofDays(365));
		return new CaCredential(intermediate(root, Duration.ofDays(90)), this.intermediateKeys.getPrivate());
	}

	private X509Certificate leaf(CaCredential issuer, List<String> dnsNames) {
		return leaf(issuer, this.leafKeys.getPublic(), dnsNames);
	}

	private X509Certificate leaf(CaCredential issuer, PublicKey key, List<String> dnsNames) {
		return this.signer.sign(new CertificateProfile.Leaf(SpiffeId.parse("spiffe://example.org/ns/web/sa/frontend"),
				dnsNames, Duration.ofHours(1)), key, issuer);
	}

	private static void assertNotBeforeIsBackdatedAtMostAMinute(X509Certificate certificate) {
		assertThat(certificate.getNotBefore().toInstant()).isBetween(NOW.minusSeconds(60), NOW);
	}

	private static List<String> keyUsages(X509Certificate certificate) {
		boolean[] bits = certificate.getKeyUsage();
		assertThat(bits).as("keyUsage extension").isNotNull();
		List<String> usages = new ArrayList<>();
		for (int i = 0; i < bits.length; i++) {
			if (bits[i]) {
				usages.add(KEY_USAGE_NAMES[i]);
			}
		}
		return usages;
	}

	private static List<String> names(X509Certificate certificate, int type) throws Exception {
		List<String> names = new ArrayList<>();
		for (List<?> name : certificate.getSubjectAlternativeNames()) {
			if (name.get(0).equals(type)) {
				names.add((String) name.get(1));
			}
		}
		return names;
	}

	private static byte[] subjectKeyIdentifier(X509Certificate certificate) throws Exception {
		return SubjectKeyIdentifier.fromExtensions(new JcaX509CertificateHolder(certificate).getExtensions())
			.getKeyIdentifier();
	}

	private static byte[] authorityKeyIdentifier(X509Certificate certificate) throws Exception {
		return AuthorityKeyIdentifier.fromExtensions(new JcaX509CertificateHolder(certificate).getExtensions())
			.getKeyIdentifierOctets();
	}

}
