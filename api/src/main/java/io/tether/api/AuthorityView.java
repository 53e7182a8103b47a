package io.tether.api;

import java.time.Instant;

/**
 * A certificate authority of the hierarchy, as {@code GET /v1/ca} answers it; never its
 * key.
 *
 * @param id its id
 * @param kind {@code root} or {@code intermediate}
 * @param generation its generation
 * @param subject its subject DN
 * @param serialNumber its serial number, hex
 * @param keyType its key type
 * @param keyStore where its private key is: {@code kek} (sealed under the KEK in the
 * database) or {@code pkcs11} (in a PKCS#11 token, which never lets it out)
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param status its state: {@code prepared}, {@code active}, {@code retiring},
 * {@code retired} or {@code revoked}
 * @param next what happens to it next by itself ({@code active}, {@code retiring},
 * {@code retired}, {@code prepares its successor}), or {@code null} when nothing will
 * @param nextAt when, or {@code null} when it waits on another authority's transition
 * @param parentId the root that signed it (intermediates), or {@code null}
 * @param sha256 SHA-256 fingerprint of its certificate, hex
 * @param keyId its subject key identifier, lowercase hex: its CRL is at
 * {@code /crl/<keyId>.crl} on the HTTPS port and the plain-HTTP revocation port
 * @param crlUrl the URL of its CRL written into certificates, or {@code null} when the
 * server has no revocation base URL
 * @param revokedAt when it was revoked in an emergency rotation, or {@code null}
 * @param certificatePem its certificate, PEM
 */
public record AuthorityView(String id, String kind, int generation, String subject, String serialNumber, String keyType,
		String keyStore, Instant notBefore, Instant notAfter, String status, String next, Instant nextAt,
		String parentId, String sha256, String keyId, String crlUrl, Instant revokedAt, String certificatePem) {
}
