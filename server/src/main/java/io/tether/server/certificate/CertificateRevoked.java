package io.tether.server.certificate;

/**
 * Published in the transaction that revokes a certificate: listeners bound to its phases
 * publish the revocation (CRLs, OCSP) in that transaction and after its commit.
 *
 * @param serialNumber the certificate's serial number, hex
 * @param issuerId the authority that signed it
 * @param reason the RFC 5280 reason name ({@code keyCompromise})
 */
public record CertificateRevoked(String serialNumber, String issuerId, String reason) {
}
