package io.tether.pki;

import java.security.cert.X509Certificate;
import java.util.HexFormat;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/**
 * The key identifiers of RFC 5280 (4.2.1.1, 4.2.1.2): a CA's subject key identifier names
 * it in Tether's CRL URLs ({@code /crl/<key id>.crl}), and a certificate's authority key
 * identifier says which of them to fetch.
 */
public final class KeyIdentifiers {

	private KeyIdentifiers() {
	}

	/**
	 * The subject key identifier of a certificate.
	 * @param certificate a certificate
	 * @return the identifier, or {@code null} when it has none
	 */
	public static byte[] subjectKeyIdentifier(X509Certificate certificate) {
		byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
		return (extension != null)
				? SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets())
					.getKeyIdentifier()
				: null;
	}

	/**
	 * The key identifier in the authority key identifier of a certificate.
	 * @param certificate a certificate
	 * @return the identifier, or {@code null} when it has none
	 */
	public static byte[] authorityKeyIdentifier(X509Certificate certificate) {
		byte[] extension = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
		if (extension == null) {
			return null;
		}
		ASN1OctetString identifier = AuthorityKeyIdentifier
			.getInstance(ASN1OctetString.getInstance(extension).getOctets())
			.getKeyIdentifierObject();
		return (identifier != null) ? identifier.getOctets() : null;
	}

	/**
	 * Lowercase hex, as in CRL URLs.
	 * @param identifier a key identifier
	 * @return its hex form
	 */
	public static String hex(byte[] identifier) {
		return HexFormat.of().formatHex(identifier);
	}

}
