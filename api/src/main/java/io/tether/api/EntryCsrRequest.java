package io.tether.api;

/**
 * {@code POST /v1/agents/self/certificates}.
 *
 * @param entryId the entry asked for
 * @param csr the workload's CSR, one PEM block, naming exactly the entry's SANs
 */
public record EntryCsrRequest(String entryId, String csr) {
}
