package io.tether.pki;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds and signs X.509 certificates from a {@link CertificateProfile}, following RFC
 * 5280 and the CA/Browser Forum's hygiene rules:
 * <ul>
 * <li>serial numbers from {@link SerialNumbers}: positive, 152 random bits;</li>
 * <li>{@code notBefore} backdated by {@link #BACKDATE} for clock skew, {@code notAfter}
 * never later than the issuer's;</li>
 * <li>subject and authority key identifiers on every certificate;</li>
 * <li>CAs: critical basicConstraints (pathLen 0 on intermediates) and critical keyUsage
 * keyCertSign and cRLSign;</li>
 * <li>leaves: critical basicConstraints CA:FALSE, critical keyUsage digitalSignature
 * (plus keyEncipherment for RSA), EKU clientAuth plus serverAuth when there are DNS
 * names, the SPIFFE ID as the only URI SAN, and the profile's subject
 * ({@link LeafSubjects}).</li>
 * </ul>
 * Signing runs on BouncyCastle's provider, or on the provider of a CA whose key is in a
 * hardware token ({@link CaCredential#provider()}). Thread-safe.
 */
public final class CertificateSigner {

	/** How far {@code notBefore} is set in the past to absorb clock skew. */
	public static final Duration BACKDATE = Duration.ofSeconds(30);

	/**
	 * When a certificate this signer made was issued: its {@code notBefore} plus
	 * {@link #BACKDATE}. Renewal points are measured from here, not from the backdated
	 * {@code notBefore}, so that short lifetimes do not look half spent at birth.
	 * @param certificate a certificate made by this signer
	 * @return the moment it was signed, at most its {@code notAfter}
	 */
	public static Instant issuedAt(X509Certificate certificate) {
		return issuedAt(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
	}

	/**
	 * {@link #issuedAt(X509Certificate)} from a certificate's validity, for callers that
	 * keep it without the certificate.
	 * @param notBefore its {@code notBefore}
	 * @param notAfter its {@code notAfter}
	 * @return the moment it was signed, at most its {@code notAfter}
	 */
	public static Instant issuedAt(Instant notBefore, Instant notAfter) {
		Instant issued = notBefore.plus(BACKDATE);
		return issued.isAfter(notAfter) ? notAfter : issued;
	}

	/**
	 * The moment a given fraction of a certificate's life has passed, measured from its
	 * issuance ({@link #issuedAt}): where renewals and rotations are due.
	 * @param certificate a certificate made by this signer
	 * @param fraction the share of its life, 0 to 1
	 * @return that moment
	 */
	public static Instant pointInLife(X509Certificate certificate, double fraction) {
		return pointInLife(issuedAt(certificate), certificate.getNotAfter().toInstant(), fraction);
	}

	/**
	 * The moment a given fraction of a life from {@code issued} to {@code notAfter} has
	 * passed.
	 * @param issued when it was signed ({@link #issuedAt})
	 * @param notAfter its {@code notAfter}
	 * @param fraction the share of its life, 0 to 1
	 * @return that moment
	 */
	public static Instant pointInLife(Instant issued, Instant notAfter, double fraction) {
		long life = Duration.between(issued, notAfter).toMillis();
		return issued.plusMillis((long) (life * fraction));
	}

	private final Clock clock;

	private final SecureRandom random;

	/**
	 * Creates a signer.
	 * @param clock the source of "now" for validity periods
	 * @param random the source of serial numbers
	 */
	public CertificateSigner(Clock clock, SecureRandom random) {
		this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
		this.random = Objects.requireNonNull(random, "'random' must not be null");
	}

	/**
	 * Creates a self-signed root CA certificate.
	 * @param profile the root profile
	 * @param keys the root's key pair
	 * @return the certificate
	 */
	public X509Certificate selfSign(CertificateProfile.Root profile, KeyPair keys) {
		return selfSign(profile, keys, CryptoProviders.bouncyCastle());
	}

	/**
	 * Creates a self-signed root CA certificate, signed by the provider that holds the
	 * private key (a PKCS#11 token's, whose keys never leave it).
	 * @param profile the root profile
	 * @param keys the root's key pair
	 * @param provider the provider that signs with {@code keys.getPrivate()}
	 * @return the certificate
	 */
	public X509Certificate selfSign(CertificateProfile.Root profile, KeyPair keys, Provider provider) {
		Objects.requireNonNull(provider, "'provider' must not be null");
		X500Name subject = caName(profile.commonName(), profile.organization());
		Instant now = this.clock.instant();
		Instant notAfter = now.plus(profile.validity());
		try {
			X509v3CertificateBuilder builder = builder(subject, subject, keys.getPublic(), now, notAfter);
			JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
			builder.addExtension(Extension.subjectKeyIdentifier, false,
					utils.createSubjectKeyIdentifier(keys.getPublic()));
			builder.addExtension(Extension.authorityKeyIdentifier, false,
					utils.createAuthorityKeyIdentifier(keys.getPublic()));
			return sign(builder, keys.getPrivate(), KeyType.of(keys.getPublic()), provider);
		}
		catch (CertIOException | java.security.NoSuchAlgorithmException ex) {
			throw new PkiException("Root certificate cannot be built: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Signs a certificate for a public key under a CA.
	 * @param profile an {@link CertificateProfile.Intermediate} or
	 * {@link CertificateProfile.Leaf} profile
	 * @param subjectKey the subject's public key (the private key stays with its owner)
	 * @param issuer the issuing CA
	 * @return the certificate
	 * @throws UnsupportedKeyException if the subject key is of no supported type
	 * @throws PkiException if the issuer has already expired
	 */
	public X509Certificate sign(CertificateProfile profile, PublicKey subjectKey, CaCredential issuer) {
		return sign(profile, subjectKey, issuer, RevocationPointers.NONE);
	}

	/**
	 * Signs a certificate for a public key under a CA, telling relying parties where to
	 * learn whether it was revoked.
	 * @param profile an {@link CertificateProfile.Intermediate},
	 * {@link CertificateProfile.Leaf} or {@link CertificateProfile.OcspSigner} profile
	 * @param subjectKey the subject's public key (the private key stays with its owner)
	 * @param issuer the issuing CA
	 * @param pointers the CRL distribution point and OCSP responder to name, if any
	 * @return the certificate
	 * @throws UnsupportedKeyException if the subject key is of no supported type
	 * @throws PkiException if the issuer has already expired
	 */
	public X509Certificate sign(CertificateProfile profile, PublicKey subjectKey, CaCredential issuer,
			RevocationPointers pointers) {
		Objects.requireNonNull(pointers, "'pointers' must not be null");
		Objects.requireNonNull(profile, "'profile' must not be null");
		Objects.requireNonNull(subjectKey, "'subjectKey' must not be null");
		Objects.requireNonNull(issuer, "'issuer' must not be null");
		if (profile instanceof CertificateProfile.Root) {
			throw new IllegalArgumentException("Root certificates are self-signed: use selfSign");
		}
		if (profile instanceof CertificateProfile.Intermediate && issuer.certificate().getBasicConstraints() == 0) {
			throw new PkiException("Issuing CA '" + issuer.certificate().getSubjectX500Principal().getName()
					+ "' has pathLenConstraint 0 and may not sign another CA");
		}
		KeyType.of(subjectKey);
		Instant now = this.clock.instant();
		Instant issuerNotAfter = issuer.certificate().getNotAfter().toInstant();
		if (!issuerNotAfter.isAfter(now)) {
			throw new PkiException("Issuing CA '" + issuer.certificate().getSubjectX500Principal().getName()
					+ "' expired at " + issuerNotAfter);
		}
		Instant notAfter = now.plus(profile.validity());
		if (notAfter.isAfter(issuerNotAfter)) {
			notAfter = issuerNotAfter;
		}
		X500Name issuerName = X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
		try {
			JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
			X509v3CertificateBuilder builder;
			if (profile instanceof CertificateProfile.Intermediate intermediate) {
				X500Name subject = caName(intermediate.commonName(), intermediate.organization());
				builder = builder(issuerName, subject, subjectKey, now, notAfter);
				builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
				builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
			}
			else if (profile instanceof CertificateProfile.OcspSigner ocspSigner) {
				X500Name subject = caName(ocspSigner.commonName(), ocspSigner.organization());
				builder = builder(issuerName, subject, subjectKey, now, notAfter);
				builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
				builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
				builder.addExtension(Extension.extendedKeyUsage, false,
						new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
				builder.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
			}
			else {
				CertificateProfile.Leaf leaf = (CertificateProfile.Leaf) profile;
				X500Name subject = X500Name.getInstance(leaf.subject().getEncoded());
				builder = builder(issuerName, subject, subjectKey, now, notAfter);
				addLeafExtensions(builder, leaf, KeyType.of(subjectKey));
			}
			builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
			builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier(issuer, utils));
			pointers.addTo(builder);
			return sign(builder, issuer.privateKey(), KeyType.of(issuer.certificate().getPublicKey()),
					issuer.provider());
		}
		catch (CertIOException | java.security.NoSuchAlgorithmException ex) {
			throw new PkiException("Certificate cannot be built: " + ex.getMessage(), ex);
		}
	}

	/**
	 * RFC 5280 4.2.1.2: the AKI of a certificate is the SKI of its issuer, whatever
	 * method made that SKI; only an issuer without one gets a computed identifier.
	 */
	private static AuthorityKeyIdentifier authorityKeyIdentifier(CaCredential issuer, JcaX509ExtensionUtils utils)
			throws java.security.NoSuchAlgorithmException {
		byte[] ski = KeyIdentifiers.subjectKeyIdentifier(issuer.certificate());
		if (ski != null) {
			return new AuthorityKeyIdentifier(ski);
		}
		return utils.createAuthorityKeyIdentifier(issuer.certificate().getPublicKey());
	}

	private static void addLeafExtensions(X509v3CertificateBuilder builder, CertificateProfile.Leaf leaf,
			KeyType keyType) throws CertIOException {
		builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
		int usage = KeyUsage.digitalSignature | (keyType.isRsa() ? KeyUsage.keyEncipherment : 0);
		builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
		List<KeyPurposeId> purposes = new ArrayList<>();
		purposes.add(KeyPurposeId.id_kp_clientAuth);
		if (!leaf.dnsNames().isEmpty()) {
			purposes.add(KeyPurposeId.id_kp_serverAuth);
		}
		builder.addExtension(Extension.extendedKeyUsage, false,
				new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
		List<GeneralName> names = new ArrayList<>();
		names.add(new GeneralName(GeneralName.uniformResourceIdentifier, leaf.spiffeId().toString()));
		for (String dnsName : leaf.dnsNames()) {
			names.add(new GeneralName(GeneralName.dNSName, dnsName));
		}
		builder.addExtension(Extension.subjectAlternativeName, false,
				new GeneralNames(names.toArray(GeneralName[]::new)));
	}

	private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey subjectKey, Instant now,
			Instant notAfter) {
		BigInteger serial = SerialNumbers.next(this.random);
		Date notBefore = Date.from(now.minus(BACKDATE));
		return new X509v3CertificateBuilder(issuer, serial, notBefore, Date.from(notAfter), subject,
				SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded()));
	}

	private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key, KeyType keyType,
			Provider provider) {
		try {
			ContentSigner signer = new JcaContentSignerBuilder(keyType.signatureAlgorithm()).setProvider(provider)
				.build(key);
			// the certificate was just built: no need to parse it back
			// (SignedX509Certificate)
			return new SignedX509Certificate(builder.build(signer));
		}
		catch (OperatorCreationException ex) {
			throw new PkiException("Certificate cannot be signed: " + ex.getMessage(), ex);
		}
	}

	private static X500Name caName(String commonName, String organization) {
		return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, organization)
			.addRDN(BCStyle.CN, commonName)
			.build();
	}

}
