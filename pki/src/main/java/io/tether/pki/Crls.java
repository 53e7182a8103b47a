package io.tether.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

/**
 * Certificate revocation lists (RFC 5280 section 5): built and signed by the CA that
 * issued the certificates they list, with a CRL number and the issuer's key identifier,
 * and a reason code for every entry whose reason is not {@code unspecified}.
 */
public final class Crls {

	/** RFC 5280 reason names, by code (7 is not used). */
	private static final List<String> REASONS = List.of("unspecified", "keyCompromise", "cACompromise",
			"affiliationChanged", "superseded", "cessationOfOperation", "certificateHold", "", "removeFromCRL",
			"privilegeWithdrawn", "aACompromise");

	private Crls() {
	}

	/**
	 * The RFC 5280 code of a reason name.
	 * @param name a reason name, for example {@code keyCompromise}
	 * @return its code
	 * @throws IllegalArgumentException for an unknown name
	 */
	public static int reasonCode(String name) {
		int code = (name == null || name.isEmpty()) ? -1 : REASONS.indexOf(name);
		if (code < 0) {
			throw new IllegalArgumentException("'" + name + "' is not an RFC 5280 revocation reason");
		}
		return code;
	}

	/**
	 * The RFC 5280 name of a reason code.
	 * @param code a reason code
	 * @return its name, or {@code unspecified} for a code without one
	 */
	public static String reasonName(int code) {
		return (code >= 0 && code < REASONS.size() && !REASONS.get(code).isEmpty()) ? REASONS.get(code) : "unspecified";
	}

	/**
	 * Builds and signs a CRL.
	 * @param issuer the CA whose certificates it lists
	 * @param number the CRL number, greater than that of any earlier CRL of this issuer
	 * @param thisUpdate when it is issued
	 * @param nextUpdate when the next one is due at the latest
	 * @param entries the revoked certificates
	 * @return the DER encoding
	 */
	public static byte[] sign(CaCredential issuer, BigInteger number, Instant thisUpdate, Instant nextUpdate,
			Collection<Entry> entries) {
		Objects.requireNonNull(issuer, "'issuer' must not be null");
		if (!nextUpdate.isAfter(thisUpdate)) {
			throw new IllegalArgumentException("'nextUpdate' must be after 'thisUpdate'");
		}
		X509Certificate certificate = issuer.certificate();
		String algorithm = KeyType.of(certificate.getPublicKey()).signatureAlgorithm();
		AlgorithmIdentifier signatureAlgorithm = new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm);
		try {
			// TBSCertList (RFC 5280 5.1.2), built directly: BouncyCastle's CRL builder
			// takes
			// seconds for 100,000 entries
			ASN1EncodableVector tbs = new ASN1EncodableVector(7);
			tbs.add(new ASN1Integer(1));
			tbs.add(signatureAlgorithm);
			tbs.add(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()));
			tbs.add(new Time(Date.from(thisUpdate)));
			tbs.add(new Time(Date.from(nextUpdate)));
			if (!entries.isEmpty()) {
				tbs.add(revokedCertificates(entries));
			}
			ExtensionsGenerator extensions = new ExtensionsGenerator();
			extensions.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
			byte[] ski = KeyIdentifiers.subjectKeyIdentifier(certificate);
			if (ski != null) {
				extensions.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(ski));
			}
			tbs.add(new DERTaggedObject(true, 0, extensions.generate()));
			DERSequence tbsCertList = new DERSequence(tbs);
			Signature signer = Signature.getInstance(algorithm, issuer.provider());
			signer.initSign(issuer.privateKey());
			signer.update(tbsCertList.getEncoded(ASN1Encoding.DER));
			return new DERSequence(
					new ASN1Encodable[] { tbsCertList, signatureAlgorithm, new DERBitString(signer.sign()) })
				.getEncoded(ASN1Encoding.DER);
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new PkiException("CRL cannot be built: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The revokedCertificates sequence: one time object per second and one extensions
	 * object per reason, shared by the entries.
	 */
	private static DERSequence revokedCertificates(Collection<Entry> entries) {
		Map<Long, Time> times = new HashMap<>();
		Map<Integer, Extensions> reasons = new HashMap<>();
		ASN1EncodableVector revoked = new ASN1EncodableVector(entries.size());
		for (Entry entry : entries) {
			ASN1EncodableVector fields = new ASN1EncodableVector(3);
			fields.add(new ASN1Integer(entry.serial()));
			fields.add(times.computeIfAbsent(entry.revokedAt().getEpochSecond(),
					(second) -> new Time(Date.from(Instant.ofEpochSecond(second)))));
			// RFC 5280 5.3.1: no reason code rather than unspecified
			if (entry.reasonCode() != 0) {
				fields.add(reasons.computeIfAbsent(entry.reasonCode(), Crls::reasonExtension));
			}
			revoked.add(new DERSequence(fields));
		}
		return new DERSequence(revoked);
	}

	private static Extensions reasonExtension(int code) {
		try {
			return new Extensions(new Extension(Extension.reasonCode, false,
					new DEROctetString(CRLReason.lookup(code).getEncoded(ASN1Encoding.DER))));
		}
		catch (IOException ex) {
			throw new PkiException("CRL reason " + code + " cannot be encoded", ex);
		}
	}

	/**
	 * One revoked certificate on a CRL.
	 *
	 * @param serial its serial number
	 * @param revokedAt when it was revoked
	 * @param reasonCode the RFC 5280 reason code; {@code unspecified} (0) is left out of
	 * the CRL, as RFC 5280 5.3.1 asks
	 */
	public record Entry(BigInteger serial, Instant revokedAt, int reasonCode) {
	}

}
