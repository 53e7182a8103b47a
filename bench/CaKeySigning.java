package io.tether.bench;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tether.pki.CaCredential;
import io.tether.pki.CertificateProfile;
import io.tether.pki.CertificateSigner;
import io.tether.pki.KeyEncryptionKey;
import io.tether.pki.KeyType;
import io.tether.pki.SpiffeId;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Signing a workload leaf with the intermediate's key where the server keeps it, for
 * bench/ca-key-signing.sh: {@code kek} is the key sealed under the KEK and opened once
 * (a BouncyCastle key, BouncyCastle's provider), {@code softhsm} the key generated in a
 * SoftHSM2 token as the server makes it with {@code tether.ca.key-store=pkcs11}
 * (sensitive, not extractable), signed through SunPKCS11. Both through
 * {@link CertificateSigner#sign}, the server's issuance call.
 * <p>
 * The token comes from the environment the script sets: {@code SOFTHSM2_CONF},
 * {@code TETHER_BENCH_PKCS11_LIBRARY}, {@code TETHER_BENCH_PKCS11_SLOT},
 * {@code TETHER_BENCH_PKCS11_PIN}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CaKeySigning {

	@Param({ "kek", "softhsm" })
	public String keyStore;

	private CertificateSigner signer;

	private CaCredential issuer;

	private PublicKey leafKey;

	private CertificateProfile.Leaf profile;

	@Setup
	public void setUp() throws Exception {
		SecureRandom random = new SecureRandom();
		this.signer = new CertificateSigner(Clock.systemUTC(), random);
		KeyPair rootKeys = KeyType.EC_P256.generate(random);
		X509Certificate root = this.signer
			.selfSign(new CertificateProfile.Root("Bench root", "Bench", Duration.ofDays(30)), rootKeys);
		CaCredential rootCredential = new CaCredential(root, rootKeys.getPrivate());
		CertificateProfile.Intermediate intermediate = new CertificateProfile.Intermediate("Bench intermediate",
				"Bench", Duration.ofDays(20));
		if ("kek".equals(this.keyStore)) {
			KeyPair keys = KeyType.EC_P256.generate(random);
			X509Certificate certificate = this.signer.sign(intermediate, keys.getPublic(), rootCredential);
			KeyEncryptionKey kek = KeyEncryptionKey.generate(random);
			byte[] associated = "tether-authority:bench".getBytes(StandardCharsets.UTF_8);
			byte[] sealed = kek.seal(keys.getPrivate(), associated);
			this.issuer = new CaCredential(certificate, kek.open(sealed, associated));
		}
		else {
			Provider provider = Security.getProvider("SunPKCS11").configure("""
					--name = TetherBench
					library = %s
					slot = %s
					attributes(generate, CKO_PRIVATE_KEY, *) = {
					  CKA_TOKEN = true
					  CKA_PRIVATE = true
					  CKA_SENSITIVE = true
					  CKA_EXTRACTABLE = false
					  CKA_SIGN = true
					}
					attributes(generate, CKO_PUBLIC_KEY, *) = {
					  CKA_TOKEN = false
					}
					""".formatted(System.getenv("TETHER_BENCH_PKCS11_LIBRARY"), System.getenv("TETHER_BENCH_PKCS11_SLOT")));
			KeyStore token = KeyStore.getInstance("PKCS11", provider);
			token.load(null, System.getenv("TETHER_BENCH_PKCS11_PIN").toCharArray());
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			KeyPair keys = generator.generateKeyPair();
			if (keys.getPrivate().getEncoded() != null) {
				throw new IllegalStateException("the token let the key out: " + keys.getPrivate());
			}
			X509Certificate certificate = this.signer.sign(intermediate, keys.getPublic(), rootCredential);
			token.setKeyEntry("bench-" + System.nanoTime(), keys.getPrivate(), null,
					new Certificate[] { certificate });
			this.issuer = new CaCredential(certificate, keys.getPrivate(), provider);
		}
		this.leafKey = KeyType.EC_P256.generate(random).getPublic();
		this.profile = new CertificateProfile.Leaf(SpiffeId.parse("spiffe://tether.internal/bench/load"), List.of(),
				Duration.ofHours(1));
		// the leaf verifies under the intermediate: the benchmark signs what it claims to
		this.signer.sign(this.profile, this.leafKey, this.issuer).verify(this.issuer.certificate().getPublicKey());
	}

	@Benchmark
	public X509Certificate signLeaf() {
		return this.signer.sign(this.profile, this.leafKey, this.issuer);
	}

}
