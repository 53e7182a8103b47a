package io.tether.pki;

import java.io.IOException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A PKCS#10 certificate signing request: built by whoever holds the private key (an
 * agent, a workload, an operator), parsed and checked by the CA. The CA takes only the
 * public key and the proof of possession from a CSR; what the certificate says comes from
 * the issuance request and the CA's policy, and the SANs a CSR asks for are exposed so
 * that policy can insist they match.
 * <p>
 * Immutable and thread-safe.
 */
public final class Csr {

	private final PKCS10CertificationRequest request;

	private Csr(PKCS10CertificationRequest request) {
		this.request = request;
	}

	/**
	 * Builds and signs a CSR asking for a SPIFFE ID and DNS names as subject alternative
	 * names, with an empty subject. Signing uses the JVM's default providers.
	 * @param keys the key pair; the private key signs the request and is not kept
	 * @param spiffeId the SPIFFE ID to request, or {@code null} for none
	 * @param dnsNames DNS names to request, possibly empty
	 * @return the signed CSR
	 * @throws UnsupportedKeyException if the key is of no supported type
	 */
	public static Csr create(KeyPair keys, SpiffeId spiffeId, List<String> dnsNames) {
		KeyType type = KeyType.of(keys.getPublic());
		try {
			JcaPKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(new X500Name(""),
					keys.getPublic());
			List<GeneralName> names = new ArrayList<>();
			if (spiffeId != null) {
				names.add(new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId.toString()));
			}
			for (String dnsName : dnsNames) {
				names.add(new GeneralName(GeneralName.dNSName, dnsName));
			}
			if (!names.isEmpty()) {
				ExtensionsGenerator extensions = new ExtensionsGenerator();
				extensions.addExtension(Extension.subjectAlternativeName, false,
						new GeneralNames(names.toArray(GeneralName[]::new)));
				builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
			}
			// signed with the JVM's own providers: a CSR is made once per renewal by an
			// agent or a workload, where loading the BouncyCastle provider would cost
			// start-up time and memory for nothing; the CA's hot path (verification,
			// signing) uses it
			ContentSigner signer = new JcaContentSignerBuilder(type.signatureAlgorithm()).build(keys.getPrivate());
			return new Csr(builder.build(signer));
		}
		catch (IOException | OperatorCreationException ex) {
			throw new PkiException("CSR cannot be built: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Parses a PEM CSR. Decoding only: call {@link #verifyProofOfPossession()} before
	 * trusting the key.
	 * @param pem one {@code CERTIFICATE REQUEST} block
	 * @return the CSR
	 * @throws InvalidCsrException if the text is not a PEM CSR, is truncated, or its
	 * content is not a well-formed PKCS#10 structure
	 */
	public static Csr fromPem(String pem) {
		return checked(Pem.readCsr(pem));
	}

	/**
	 * Parses a DER-encoded CSR.
	 * @param der the encoding
	 * @return the CSR
	 * @throws InvalidCsrException if the bytes are not a well-formed PKCS#10 structure
	 */
	public static Csr fromDer(byte[] der) {
		PKCS10CertificationRequest request;
		try {
			request = new PKCS10CertificationRequest(der);
		}
		catch (IOException | RuntimeException ex) {
			throw InvalidCsrException
				.malformed("CSR cannot be decoded: the DER is truncated, corrupt, or not a PKCS#10 request", ex);
		}
		return checked(request);
	}

	private static Csr checked(PKCS10CertificationRequest request) {
		// BouncyCastle decodes lazily: touch every part now so that a truncated or
		// mangled request fails here, as malformed, rather than later in policy.
		try {
			request.getSubject();
			request.getSubjectPublicKeyInfo().getPublicKeyData();
			request.getSignatureAlgorithm();
			request.getAttributes();
		}
		catch (RuntimeException ex) {
			throw InvalidCsrException.malformed("CSR cannot be decoded: a part of it is truncated or corrupt", ex);
		}
		Csr csr = new Csr(request);
		// the subject's strings are decoded only when it is printed (the CLI's inspect,
		// a log line), where a malformed one would fail
		try {
			csr.subject();
		}
		catch (RuntimeException ex) {
			throw InvalidCsrException.malformed("CSR cannot be decoded: its subject is not a valid distinguished name",
					ex);
		}
		// the extension request is decoded only when the policy reads the SANs, and a
		// corrupt one would fail there, as a server error
		try {
			csr.requestsOtherNames();
			csr.requestedUris();
			csr.requestedDnsNames();
		}
		catch (RuntimeException ex) {
			throw InvalidCsrException.malformed(
					"CSR cannot be decoded: its requested subject alternative names are not a valid extension", ex);
		}
		return csr;
	}

	/**
	 * Verifies the CSR's self-signature with its own public key, which proves that the
	 * requester holds the private key. An EC key signed with ECDSA over SHA-256, SHA-384
	 * or SHA-512 is verified with BouncyCastle's lightweight ECDSA on the key decoded
	 * straight from the request; anything else goes through BouncyCastle's provider.
	 * @throws InvalidCsrException if the signature does not verify
	 * @throws UnsupportedKeyException if the key is of no supported type
	 */
	public void verifyProofOfPossession() {
		KeyType type = KeyType.of(this.request.getSubjectPublicKeyInfo());
		boolean valid;
		try {
			Digest digest = ecdsaDigest(type, this.request.getSignatureAlgorithm());
			valid = (digest != null) ? verifyEcdsa(digest) : verifyWithProvider();
		}
		catch (IOException | OperatorCreationException | PKCSException | RuntimeException ex) {
			valid = false;
		}
		if (!valid) {
			throw InvalidCsrException.badSignature(
					"CSR signature does not verify with its public key: the request was altered or signed with another key");
		}
	}

	/**
	 * Every CSR brings a key never seen before, and the provider's path costs a JCA key
	 * object per request on top of the same arithmetic: this path decodes the point
	 * straight into ECDSA parameters (measured with bench/issuance-crypto.sh).
	 */
	private boolean verifyEcdsa(Digest digest) throws IOException {
		ECPublicKeyParameters key = (ECPublicKeyParameters) PublicKeyFactory
			.createKey(this.request.getSubjectPublicKeyInfo());
		DSADigestSigner verifier = new DSADigestSigner(new ECDSASigner(), digest, StandardDSAEncoding.INSTANCE);
		verifier.init(false, key);
		byte[] signed = this.request.toASN1Structure().getCertificationRequestInfo().getEncoded(ASN1Encoding.DER);
		verifier.update(signed, 0, signed.length);
		return verifier.verifySignature(this.request.getSignature());
	}

	private boolean verifyWithProvider() throws OperatorCreationException, PKCSException {
		ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder()
			.setProvider(CryptoProviders.bouncyCastle())
			.build(this.request.getSubjectPublicKeyInfo());
		return this.request.isSignatureValid(verifier);
	}

	/**
	 * The digest of an ECDSA signature algorithm without parameters on an EC key, or
	 * {@code null} for any other pairing, which the provider then judges as it always
	 * has.
	 */
	private static Digest ecdsaDigest(KeyType type, AlgorithmIdentifier algorithm) {
		if ((type != KeyType.EC_P256 && type != KeyType.EC_P384) || algorithm.getParameters() != null) {
			return null;
		}
		ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
		if (X9ObjectIdentifiers.ecdsa_with_SHA256.equals(oid)) {
			return new SHA256Digest();
		}
		if (X9ObjectIdentifiers.ecdsa_with_SHA384.equals(oid)) {
			return new SHA384Digest();
		}
		if (X9ObjectIdentifiers.ecdsa_with_SHA512.equals(oid)) {
			return new SHA512Digest();
		}
		return null;
	}

	/**
	 * The type of the requested public key.
	 * @return the key type
	 * @throws UnsupportedKeyException if the key is of no supported type
	 */
	public KeyType keyType() {
		return KeyType.of(this.request.getSubjectPublicKeyInfo());
	}

	/**
	 * The requested public key as a JCA key from the JVM's default providers.
	 * @return the public key
	 * @throws UnsupportedKeyException if the key is of no supported type
	 */
	public PublicKey publicKey() {
		SubjectPublicKeyInfo info = this.request.getSubjectPublicKeyInfo();
		String algorithm = switch (KeyType.of(info)) {
			case EC_P256, EC_P384 -> "EC";
			case ED25519 -> "Ed25519";
			case RSA_2048, RSA_3072, RSA_4096 -> "RSA";
		};
		try {
			return java.security.KeyFactory.getInstance(algorithm)
				.generatePublic(new X509EncodedKeySpec(info.getEncoded()));
		}
		catch (IOException | java.security.GeneralSecurityException ex) {
			throw new UnsupportedKeyException("CSR public key cannot be decoded: " + ex.getMessage());
		}
	}

	/**
	 * The subject the CSR states. Tether puts what it issues in the SANs and ignores it.
	 * @return the distinguished name, empty when the CSR has none
	 */
	public String subject() {
		return this.request.getSubject().toString();
	}

	/**
	 * The URIs the CSR asks for in its subject alternative name extension request.
	 * @return the URIs, possibly empty
	 */
	public List<String> requestedUris() {
		return requestedNames(GeneralName.uniformResourceIdentifier);
	}

	/**
	 * The DNS names the CSR asks for in its subject alternative name extension request.
	 * @return the DNS names, possibly empty
	 */
	public List<String> requestedDnsNames() {
		return requestedNames(GeneralName.dNSName);
	}

	/**
	 * Whether the CSR asks for any subject alternative name of a kind other than URI and
	 * DNS name (e-mail, IP address, directory name...), which Tether never issues.
	 * @return {@code true} if it does
	 */
	public boolean requestsOtherNames() {
		GeneralNames names = requestedSans();
		if (names == null) {
			return false;
		}
		for (GeneralName name : names.getNames()) {
			if (name.getTagNo() != GeneralName.uniformResourceIdentifier && name.getTagNo() != GeneralName.dNSName) {
				return true;
			}
		}
		return false;
	}

	private List<String> requestedNames(int tag) {
		GeneralNames names = requestedSans();
		if (names == null) {
			return List.of();
		}
		List<String> values = new ArrayList<>();
		for (GeneralName name : names.getNames()) {
			if (name.getTagNo() == tag) {
				values.add(DERIA5String.getInstance(name.getName()).getString());
			}
		}
		return Collections.unmodifiableList(values);
	}

	private GeneralNames requestedSans() {
		for (Attribute attribute : this.request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
			for (ASN1Encodable value : attribute.getAttributeValues()) {
				Extensions extensions = Extensions.getInstance(value);
				GeneralNames names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
				if (names != null) {
					return names;
				}
			}
		}
		return null;
	}

	/**
	 * The DER encoding of the request.
	 * @return a fresh copy of the bytes
	 */
	public byte[] encoded() {
		try {
			return this.request.getEncoded();
		}
		catch (IOException ex) {
			throw new PkiException("CSR cannot be encoded: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The request as PEM.
	 * @return one {@code CERTIFICATE REQUEST} block
	 */
	public String toPem() {
		return Pem.write(this.request);
	}

	SubjectPublicKeyInfo subjectPublicKeyInfo() {
		return this.request.getSubjectPublicKeyInfo();
	}

}
