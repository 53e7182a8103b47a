package io.tether.server.issuance;

import java.time.Duration;
import java.util.List;

import io.tether.pki.Csr;
import io.tether.pki.SpiffeId;

/**
 * A request to issue, decoded but not yet checked by policy.
 *
 * @param csr the requester's CSR, not yet verified
 * @param spiffeId the SPIFFE ID the certificate is to carry
 * @param dnsNames the DNS names, validated and in lower case
 * @param ttl the requested lifetime
 * @param requestedBy who asks, for the record and the audit log
 */
record IssuanceRequest(Csr csr, SpiffeId spiffeId, List<String> dnsNames, Duration ttl, String requestedBy) {
}
