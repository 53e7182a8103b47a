package io.tether.cli;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

import io.tether.api.AuthorityView;
import io.tether.pki.Crls;
import io.tether.pki.SerialNumbers;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An authority's CRL as fetched, read only after its signature verified with the
 * authority's certificate.
 *
 * @param authority the authority that published it
 * @param number its CRL number, or {@code null} when it has none
 * @param thisUpdate when it was issued
 * @param nextUpdate when the next one is due, or {@code null}
 * @param entries the revoked certificates, earliest revocation first
 * @param der the CRL as received
 */
record RevocationList(AuthorityView authority, BigInteger number, Instant thisUpdate, Instant nextUpdate,
		List<Entry> entries, byte[] der) {

	/**
	 * Reads a CRL and verifies that the authority signed it.
	 * @param authority the authority whose CRL it should be
	 * @param issuer the authority's certificate
	 * @param der the CRL
	 * @throws CliException ({@link ExitCode#FAILED}) when it is no CRL, names another
	 * issuer, or its signature does not verify
	 */
	static RevocationList verify(AuthorityView authority, X509Certificate issuer, byte[] der) {
		String which = "The CRL of " + CaAuthorities.label(authority);
		X509CRL crl;
		try {
			crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
		}
		catch (CRLException | java.security.cert.CertificateException | RuntimeException ex) {
			throw new CliException(ExitCode.FAILED, which + " is not a DER CRL (" + ex.getMessage() + ")", ex);
		}
		if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
			throw new CliException(ExitCode.FAILED, which + " names the issuer " + crl.getIssuerX500Principal()
					+ ", not " + issuer.getSubjectX500Principal());
		}
		try {
			crl.verify(issuer.getPublicKey());
		}
		catch (GeneralSecurityException ex) {
			throw new CliException(ExitCode.FAILED,
					which + " is not signed by its certificate (" + ex.getMessage() + "); do not rely on it", ex);
		}
		List<Entry> entries = (crl.getRevokedCertificates() != null) ? crl.getRevokedCertificates()
			.stream()
			.map(RevocationList::entry)
			.sorted(Comparator.comparing(Entry::revokedAt))
			.toList() : List.of();
		return new RevocationList(authority, number(crl), crl.getThisUpdate().toInstant(),
				(crl.getNextUpdate() != null) ? crl.getNextUpdate().toInstant() : null, entries, der);
	}

	private static Entry entry(X509CRLEntry entry) {
		// java.security.cert.CRLReason's ordinals are RFC 5280's codes
		String reason = (entry.getRevocationReason() != null) ? Crls.reasonName(entry.getRevocationReason().ordinal())
				: Crls.reasonName(0);
		return new Entry(SerialNumbers.toHex(entry.getSerialNumber()), entry.getRevocationDate().toInstant(), reason);
	}

	private static BigInteger number(X509CRL crl) {
		byte[] extension = crl.getExtensionValue(Extension.cRLNumber.getId());
		return (extension != null)
				? ASN1Integer.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getValue() : null;
	}

	ObjectNode json() {
		ObjectNode node = ApiClient.JSON.createObjectNode();
		ObjectNode issuer = node.putObject("authority");
		issuer.put("id", this.authority.id());
		issuer.put("kind", this.authority.kind());
		issuer.put("generation", this.authority.generation());
		issuer.put("status", this.authority.status());
		issuer.put("keyId", this.authority.keyId());
		node.put("crlNumber", (this.number != null) ? this.number.toString() : null);
		node.put("thisUpdate", this.thisUpdate.toString());
		node.put("nextUpdate", (this.nextUpdate != null) ? this.nextUpdate.toString() : null);
		node.put("signature", "valid");
		ArrayNode list = node.putArray("entries");
		for (Entry entry : this.entries) {
			list.addObject()
				.put("serialNumber", entry.serialNumber())
				.put("revokedAt", entry.revokedAt().toString())
				.put("reason", entry.reason());
		}
		return node;
	}

	/**
	 * The CRL as {@code openssl crl} reads it.
	 */
	String pem() {
		return "-----BEGIN X509 CRL-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
					.encodeToString(this.der)
				+ "\n-----END X509 CRL-----\n";
	}

	/**
	 * One revoked certificate.
	 *
	 * @param serialNumber its serial number, hex as the CLI shows them
	 * @param revokedAt when it was revoked
	 * @param reason the RFC 5280 reason name; {@code unspecified} when the entry has none
	 */
	record Entry(String serialNumber, Instant revokedAt, String reason) {
	}

}
