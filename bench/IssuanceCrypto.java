package io.tether.bench;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.tether.pki.CaCredential;
import io.tether.pki.CertificateProfile;
import io.tether.pki.CertificateSigner;
import io.tether.pki.CryptoProviders;
import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.SpiffeId;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The CA's cryptography per issued certificate, for bench/issuance-crypto.sh.
 * <p>
 * CSR proof of possession, every call on a CSR with a key it has not seen before (a
 * pool of distinct P-256 keys, as in production where every workload has its own):
 * {@code verifyBcProvider} is the path Tether took before (BouncyCastle's JCA provider
 * through JcaContentVerifierProviderBuilder, a BCECPublicKey per CSR),
 * {@code verifyBcLightweight} BouncyCastle's ECDSASigner on ECPublicKeyParameters decoded
 * from the SubjectPublicKeyInfo, {@code verifySunEc} the JDK's SunEC, and
 * {@code verifyCsr} whatever {@link Csr#verifyProofOfPossession()} does now.
 * <p>
 * Signing a leaf with the CA's P-256 key: {@code signBcProvider} (BouncyCastle's provider
 * and key) and {@code signSunEc} (SunEC and a JDK key) build the same TBSCertificate;
 * {@code toX509Converter} is the re-parse Tether did after signing
 * (JcaX509CertificateConverter), {@code toX509Factory} the JDK's CertificateFactory on
 * the DER; {@code signerSign} is {@link CertificateSigner#sign} as it is now, start to
 * end.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IssuanceCrypto {

	private static final int KEYS = 4096;

	private static final int CERTIFICATES = 4096;

	private static final AlgorithmIdentifier SIGNATURE = new AlgorithmIdentifier(
			X9ObjectIdentifiers.ecdsa_with_SHA256);

	private static final AlgorithmIdentifier DIGEST = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256);

	private final SecureRandom random = new SecureRandom();

	private byte[][] csrs;

	private final AtomicInteger next = new AtomicInteger();

	private CaCredential issuer;

	private PrivateKey bcCaKey;

	private PrivateKey jdkCaKey;

	private CertificateSigner signer;

	private SubjectPublicKeyInfo leafKeyInfo;

	private java.security.PublicKey leafKey;

	private CertificateProfile.Leaf profile;

	private ECPrivateKeyParameters lightweightCaKey;

	private byte[][] certificates;

	private X509CertificateHolder[] certificateHolders;

	@Setup
	public void setUp() throws Exception {
		SecureRandom random = this.random;
		this.csrs = new byte[KEYS][];
		SpiffeId id = SpiffeId.parse("spiffe://tether.internal/bench/load");
		for (int i = 0; i < KEYS; i++) {
			this.csrs[i] = Csr.create(KeyType.EC_P256.generate(random), id, List.of()).encoded();
		}
		CertificateSigner signer = new CertificateSigner(Clock.systemUTC(), random);
		KeyPair rootKeys = KeyType.EC_P256.generate(random);
		X509Certificate root = signer.selfSign(new CertificateProfile.Root("Bench root", "Bench", Duration.ofDays(30)),
				rootKeys);
		KeyPair intermediateKeys = KeyType.EC_P256.generate(random);
		X509Certificate intermediate = signer.sign(
				new CertificateProfile.Intermediate("Bench intermediate", "Bench", Duration.ofDays(20)),
				intermediateKeys.getPublic(), new CaCredential(root, rootKeys.getPrivate()));
		this.issuer = new CaCredential(intermediate, intermediateKeys.getPrivate());
		this.bcCaKey = CryptoProviders.bouncyCastleKey(intermediateKeys.getPrivate());
		this.jdkCaKey = intermediateKeys.getPrivate();
		this.signer = signer;
		KeyPair leafKeys = KeyType.EC_P256.generate(random);
		this.leafKey = leafKeys.getPublic();
		this.leafKeyInfo = SubjectPublicKeyInfo.getInstance(this.leafKey.getEncoded());
		this.profile = new CertificateProfile.Leaf(id, List.of(), Duration.ofHours(1));
		this.lightweightCaKey = (ECPrivateKeyParameters) PrivateKeyFactory
			.createKey(PrivateKeyInfo.getInstance(this.jdkCaKey.getEncoded()));
		// distinct certificates: the JDK's CertificateFactory caches what it parsed by
		// encoding, and the CA never parses the same certificate twice
		this.certificates = new byte[CERTIFICATES][];
		this.certificateHolders = new X509CertificateHolder[CERTIFICATES];
		for (int i = 0; i < CERTIFICATES; i++) {
			this.certificates[i] = signer.sign(this.profile, this.leafKey, this.issuer).getEncoded();
			this.certificateHolders[i] = new X509CertificateHolder(this.certificates[i]);
		}
	}

	private byte[] nextCsr() {
		return this.csrs[Math.floorMod(this.next.getAndIncrement(), KEYS)];
	}

	@Benchmark
	public boolean verifyBcProvider() throws Exception {
		PKCS10CertificationRequest request = new PKCS10CertificationRequest(nextCsr());
		ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder()
			.setProvider(CryptoProviders.bouncyCastle())
			.build(request.getSubjectPublicKeyInfo());
		return check(request.isSignatureValid(verifier));
	}

	@Benchmark
	public boolean verifyBcLightweight() throws Exception {
		PKCS10CertificationRequest request = new PKCS10CertificationRequest(nextCsr());
		ECPublicKeyParameters key = (ECPublicKeyParameters) PublicKeyFactory
			.createKey(request.getSubjectPublicKeyInfo());
		DSADigestSigner verifier = new DSADigestSigner(new ECDSASigner(), new SHA256Digest(),
				StandardDSAEncoding.INSTANCE);
		verifier.init(false, key);
		byte[] tbs = request.toASN1Structure().getCertificationRequestInfo().getEncoded("DER");
		verifier.update(tbs, 0, tbs.length);
		return check(verifier.verifySignature(request.getSignature()));
	}

	@Benchmark
	public boolean verifySunEc() throws Exception {
		PKCS10CertificationRequest request = new PKCS10CertificationRequest(nextCsr());
		java.security.PublicKey key = KeyFactory.getInstance("EC", "SunEC")
			.generatePublic(new X509EncodedKeySpec(request.getSubjectPublicKeyInfo().getEncoded()));
		Signature verifier = Signature.getInstance("SHA256withECDSA", "SunEC");
		verifier.initVerify(key);
		verifier.update(request.toASN1Structure().getCertificationRequestInfo().getEncoded("DER"));
		return check(verifier.verify(request.getSignature()));
	}

	@Benchmark
	public Csr verifyCsr() {
		Csr csr = Csr.fromDer(nextCsr());
		csr.verifyProofOfPossession();
		return csr;
	}

	@Benchmark
	public byte[] signBcProvider() throws Exception {
		ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(CryptoProviders.bouncyCastle())
			.build(this.bcCaKey);
		return builder().build(signer).getEncoded();
	}

	@Benchmark
	public byte[] signSunEc() throws Exception {
		ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider("SunEC").build(this.jdkCaKey);
		return builder().build(signer).getEncoded();
	}

	@Benchmark
	public byte[] signBcLightweight() throws Exception {
		ContentSigner signer = new BcECContentSignerBuilder(SIGNATURE, DIGEST).setSecureRandom(this.random)
			.build(this.lightweightCaKey);
		return builder().build(signer).getEncoded();
	}

	@Benchmark
	public X509Certificate toX509Converter() throws Exception {
		int i = Math.floorMod(this.next.getAndIncrement(), CERTIFICATES);
		return new JcaX509CertificateConverter().getCertificate(this.certificateHolders[i]);
	}

	@Benchmark
	public X509Certificate toX509Factory() throws Exception {
		int i = Math.floorMod(this.next.getAndIncrement(), CERTIFICATES);
		return (X509Certificate) CertificateFactory.getInstance("X.509")
			.generateCertificate(new ByteArrayInputStream(this.certificates[i]));
	}

	@Benchmark
	public X509Certificate signerSign() {
		return this.signer.sign(this.profile, this.leafKey, this.issuer);
	}

	private X509v3CertificateBuilder builder() {
		Instant now = Instant.now();
		return new X509v3CertificateBuilder(
				X500Name.getInstance(this.issuer.certificate().getSubjectX500Principal().getEncoded()),
				new BigInteger(152, this.random), Date.from(now), Date.from(now.plusSeconds(3600)),
				new X500Name(""), this.leafKeyInfo);
	}

	private static boolean check(boolean valid) {
		if (!valid) {
			throw new IllegalStateException("a valid CSR did not verify");
		}
		return valid;
	}

}
