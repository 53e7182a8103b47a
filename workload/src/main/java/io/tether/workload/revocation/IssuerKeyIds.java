package io.tether.workload.revocation;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The key identifier of a certificate's issuing authority, lower-case hex: what the CA
 * names its CRLs by and what answers are cached under.
 */
final class IssuerKeyIds {

	private IssuerKeyIds() {
	}

	/**
	 * The leaf's authorityKeyIdentifier; failing that, the issuer's subjectKeyIdentifier;
	 * failing that, the SHA-1 of the issuer's public key (RFC 5280 4.2.1.2, method 1).
	 * @param leaf the certificate
	 * @param issuer its issuer
	 * @return lower-case hex
	 */
	static String of(X509Certificate leaf, X509Certificate issuer) {
		byte[] aki = extension(leaf, "2.5.29.35");
		if (aki != null) {
			ASN1OctetString keyId = AuthorityKeyIdentifier.getInstance(aki).getKeyIdentifierObject();
			if (keyId != null) {
				return HexFormat.of().formatHex(keyId.getOctets());
			}
		}
		byte[] ski = extension(issuer, "2.5.29.14");
		if (ski != null) {
			return HexFormat.of().formatHex(SubjectKeyIdentifier.getInstance(ski).getKeyIdentifier());
		}
		byte[] key = SubjectPublicKeyInfo.getInstance(issuer.getPublicKey().getEncoded()).getPublicKeyData().getBytes();
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(key));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is required of every JVM", ex);
		}
	}

	private static byte[] extension(X509Certificate certificate, String oid) {
		byte[] value = certificate.getExtensionValue(oid);
		return (value != null) ? ASN1OctetString.getInstance(value).getOctets() : null;
	}

}
