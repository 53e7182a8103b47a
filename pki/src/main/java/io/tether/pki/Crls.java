package io.tether.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

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
		X509v2CRLBuilder builder = new X509v2CRLBuilder(
				X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), Date.from(thisUpdate));
		builder.setNextUpdate(Date.from(nextUpdate));
		for (Entry entry : entries) {
			// BouncyCastle leaves the reason code out for 0 (unspecified)
			builder.addCRLEntry(entry.serial(), Date.from(entry.revokedAt()), entry.reasonCode());
		}
		try {
			builder.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
			byte[] ski = KeyIdentifiers.subjectKeyIdentifier(certificate);
			if (ski != null) {
				builder.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(ski));
			}
			ContentSigner signer = new JcaContentSignerBuilder(
					KeyType.of(certificate.getPublicKey()).signatureAlgorithm())
				.setProvider(CryptoProviders.bouncyCastle())
				.build(issuer.privateKey());
			return builder.build(signer).getEncoded();
		}
		catch (IOException | OperatorCreationException ex) {
			throw new PkiException("CRL cannot be built: " + ex.getMessage(), ex);
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
