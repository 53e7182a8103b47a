package io.tether.api;

import java.util.List;

/**
 * {@code POST /v1/certificates} (admin): a certificate for a CSR.
 *
 * @param csr the PKCS#10 request, one PEM block
 * @param spiffeId the SPIFFE ID the certificate carries
 * @param dnsNames its DNS names, or {@code null} for none
 * @param ttl its lifetime, or {@code null} for the server's default
 */
public record IssueRequest(String csr, String spiffeId, List<String> dnsNames, String ttl) {
}
