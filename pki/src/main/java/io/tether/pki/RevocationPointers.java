package io.tether.pki;

import java.net.URI;

import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * Where a relying party learns whether a certificate was revoked: a CRL distribution
 * point (RFC 5280 4.2.1.13) and an OCSP responder in the authority information access
 * extension (4.2.2.1). Either may be absent.
 *
 * @param crlUrl the URL of the issuer's CRL, or {@code null}
 * @param ocspUrl the URL of the OCSP responder, or {@code null}
 */
public record RevocationPointers(String crlUrl, String ocspUrl) {

	/** No pointers: relying parties are configured with the responder instead. */
	public static final RevocationPointers NONE = new RevocationPointers(null, null);

	/**
	 * Checks that each URL given is an absolute http or https URL.
	 * @param crlUrl the CRL URL, or {@code null}
	 * @param ocspUrl the OCSP URL, or {@code null}
	 */
	public RevocationPointers {
		requireHttpUrl(crlUrl, "crlUrl");
		requireHttpUrl(ocspUrl, "ocspUrl");
	}

	void addTo(X509v3CertificateBuilder builder) throws CertIOException {
		if (this.crlUrl != null) {
			GeneralNames names = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, this.crlUrl));
			builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(
					new DistributionPoint[] { new DistributionPoint(new DistributionPointName(names), null, null) }));
		}
		if (this.ocspUrl != null) {
			builder.addExtension(Extension.authorityInfoAccess, false,
					new AuthorityInformationAccess(new AccessDescription(AccessDescription.id_ad_ocsp,
							new GeneralName(GeneralName.uniformResourceIdentifier, this.ocspUrl))));
		}
	}

	private static void requireHttpUrl(String url, String name) {
		if (url == null) {
			return;
		}
		URI uri;
		try {
			uri = URI.create(url);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("'" + name + "' is not a URL: " + ex.getMessage(), ex);
		}
		if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
			throw new IllegalArgumentException("'" + name + "' must be an absolute http or https URL: " + url);
		}
	}

}
