package io.tether.server.issuance;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

import io.tether.api.ProblemType;
import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.SpiffeId;
import io.tether.server.TetherProperties;
import io.tether.server.web.ApiException;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Properties, CSRs and requests shared by the issuance rule tests.
 */
final class IssuanceFixtures {

	static final String TRUST_DOMAIN = "example.org";

	static final SpiffeId SPIFFE_ID = SpiffeId.parse("spiffe://example.org/ns/web/sa/frontend");

	static final List<String> ALL_KEY_TYPES = List.of("ec-p256", "ec-p384", "ed25519", "rsa-2048", "rsa-3072",
			"rsa-4096");

	static final Duration MAX_TTL = Duration.ofHours(24);

	static final Duration MIN_TTL = Duration.ofMinutes(1);

	static final Duration TTL = Duration.ofHours(1);

	private static final KeyPair EC_P256_KEYS = KeyType.EC_P256.generate();

	private IssuanceFixtures() {
	}

	static TetherProperties properties() {
		return properties(ALL_KEY_TYPES, List.of());
	}

	static TetherProperties properties(List<String> allowedKeyTypes, List<String> allowedDnsSuffixes) {
		return new TetherProperties(Path.of("data"), TRUST_DOMAIN, null, null,
				new TetherProperties.Ca(Duration.ofDays(3650), Duration.ofDays(365), Duration.ofMinutes(1), "kek",
						new TetherProperties.Pkcs11(null, null, null, null, null)),
				new TetherProperties.Issuance(MAX_TTL, MIN_TTL, TTL, allowedKeyTypes, allowedDnsSuffixes, Duration.ZERO,
						256, 8192),
				new TetherProperties.Server(List.of(), Duration.ofDays(30), Duration.ofMinutes(1)),
				new TetherProperties.Admin(Duration.ofDays(90), Duration.ofHours(1), false),
				new TetherProperties.Agent(Duration.ofHours(24), Duration.ofDays(7)),
				new TetherProperties.Jobs(
						new TetherProperties.Jobs.JoinTokenPurge(Duration.ofHours(1), Duration.ofMinutes(50),
								Duration.ofDays(1)),
						new TetherProperties.Jobs.CertificateRetention(Duration.ofMinutes(10), Duration.ofDays(3),
								1000),
						new TetherProperties.Jobs.AuditRetention(Duration.ofHours(1), Duration.ofDays(365), 1000),
						new TetherProperties.Jobs.AuditSeal(Duration.ofSeconds(1), 1000, Duration.ofMinutes(1), 10000,
								Duration.ofMinutes(5))),
				new TetherProperties.Revocation(-1, null, Duration.ofDays(1), Duration.ofSeconds(10),
						Duration.ofMinutes(5), Duration.ofDays(1), Duration.ofSeconds(2), true, false, false),
				new TetherProperties.Metrics(Duration.ofSeconds(30)),
				new TetherProperties.JwtSvid(Duration.ofMinutes(5), Duration.ofDays(7), Duration.ofDays(1),
						Duration.ofMinutes(1)),
				TetherProperties.Throttle.defaults(),
				new TetherProperties.Operators(Duration.ofHours(1), Duration.ofHours(8)));
	}

	/**
	 * A CSR from an EC P-256 key asking for the given SANs.
	 */
	static Csr csr(SpiffeId spiffeId, String... dnsNames) {
		return Csr.create(EC_P256_KEYS, spiffeId, List.of(dnsNames));
	}

	/**
	 * A CSR built with BouncyCastle directly, for what {@link Csr#create} refuses to
	 * build: unsupported keys and SANs other than URI and DNS names.
	 */
	static Csr bouncyCastleCsr(KeyPair keys, String signatureAlgorithm, GeneralName... names) throws Exception {
		JcaPKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(new X500Name(""),
				keys.getPublic());
		if (names.length > 0) {
			ExtensionsGenerator extensions = new ExtensionsGenerator();
			extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
			builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
		}
		return Csr.fromDer(
				builder.build(new JcaContentSignerBuilder(signatureAlgorithm).build(keys.getPrivate())).getEncoded());
	}

	static KeyPair ecP256Keys() {
		return EC_P256_KEYS;
	}

	static IssuanceRequest request(Csr csr, SpiffeId spiffeId, List<String> dnsNames, Duration ttl) {
		return new IssuanceRequest(csr, spiffeId, dnsNames, ttl, "spiffe://example.org/tether/admin");
	}

	/**
	 * A request whose CSR asks for exactly its SPIFFE ID and DNS names, for the tests of
	 * rules that do not look at the CSR.
	 */
	static IssuanceRequest request(SpiffeId spiffeId, List<String> dnsNames, Duration ttl) {
		return request(csr(spiffeId, dnsNames.toArray(String[]::new)), spiffeId, dnsNames, ttl);
	}

	static ThrowableAssertAlternative<ApiException> assertRefused(IssuanceRule rule, IssuanceRequest request,
			ProblemType type) {
		return assertThatExceptionOfType(ApiException.class).isThrownBy(() -> rule.check(request))
			.satisfies((ex) -> assertThat(ex.getType()).isEqualTo(type));
	}

}
