package io.tether.server.issuance;

import java.time.Duration;
import java.util.List;

import io.tether.api.ProblemType;
import io.tether.pki.Csr;
import io.tether.pki.SpiffeId;
import org.junit.jupiter.api.Test;

import static io.tether.server.issuance.IssuanceFixtures.SPIFFE_ID;
import static io.tether.server.issuance.IssuanceFixtures.TTL;
import static io.tether.server.issuance.IssuanceFixtures.assertRefused;
import static io.tether.server.issuance.IssuanceFixtures.csr;
import static io.tether.server.issuance.IssuanceFixtures.ecP256Keys;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link ExactSansRule}: an agent's CSR names exactly its entry's SANs.
 */
class ExactSansRuleTest {

	private final ExactSansRule rule = new ExactSansRule();

	@Test
	void checkWhenCsrOmitsTheEntrySansIsRefused() {
		IssuanceRequest request = workload(csr(SPIFFE_ID), SPIFFE_ID, List.of("web.internal"), TTL,
				"spiffe://example.org/agent/host-1");
		assertRefused(this.rule, request, ProblemType.SAN_NOT_ALLOWED).withMessageContaining("exactly the DNS names");
	}

	@Test
	void checkWhenCsrHasNoSansIsRefused() {
		IssuanceRequest request = workload(Csr.create(ecP256Keys(), null, List.of()), SPIFFE_ID, List.of(), TTL,
				"spiffe://example.org/agent/host-1");
		assertRefused(this.rule, request, ProblemType.SAN_NOT_ALLOWED).withMessageContaining("exactly the URI SAN");
	}

	@Test
	void checkWhenCsrSansEqualTheEntryPasses() {
		IssuanceRequest request = workload(csr(SPIFFE_ID, "web.internal"), SPIFFE_ID, List.of("web.internal"), TTL,
				"spiffe://example.org/agent/host-1");
		assertThatNoException().isThrownBy(() -> this.rule.check(request));
	}

	@Test
	void checkWhenCsrAsksForAnExtraDnsNameIsRefused() {
		IssuanceRequest request = workload(csr(SPIFFE_ID, "web.internal", "extra.internal"), SPIFFE_ID,
				List.of("web.internal"), TTL, "spiffe://example.org/agent/host-1");
		assertRefused(this.rule, request, ProblemType.SAN_NOT_ALLOWED).withMessageContaining("exactly the DNS names");
	}

	private static IssuanceRequest workload(Csr csr, SpiffeId spiffeId, List<String> dnsNames, Duration ttl,
			String agent) {
		return new IssuanceRequest(csr, spiffeId, dnsNames, ttl, agent, IssuanceRequest.Purpose.AGENT_WORKLOAD,
				"entry-1");
	}

}
