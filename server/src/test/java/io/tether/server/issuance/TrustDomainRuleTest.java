package io.tether.server.issuance;

import java.util.List;

import io.tether.api.ProblemType;
import io.tether.pki.SpiffeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.tether.server.issuance.IssuanceFixtures.TTL;
import static io.tether.server.issuance.IssuanceFixtures.assertRefused;
import static io.tether.server.issuance.IssuanceFixtures.csr;
import static io.tether.server.issuance.IssuanceFixtures.properties;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link TrustDomainRule}.
 */
class TrustDomainRuleTest {

	private final TrustDomainRule rule = new TrustDomainRule(properties());

	@ParameterizedTest
	@ValueSource(strings = { "spiffe://example.org/ns/web/sa/frontend", "spiffe://example.org/tetherapp",
			"spiffe://example.org/workload/tether/admin" })
	void checkWhenSpiffeIdInSameTrustDomainPasses(String spiffeId) {
		assertThatNoException().isThrownBy(() -> this.rule.check(request(spiffeId)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "spiffe://other.org/ns/web/sa/frontend", "spiffe://sub.example.org/ns/web",
			"spiffe://example.org.evil/ns/web", "spiffe://evilexample.org/ns/web" })
	void checkWhenSpiffeIdInOtherTrustDomainIsRefused(String spiffeId) {
		assertRefused(this.rule, request(spiffeId), ProblemType.TRUST_DOMAIN_MISMATCH)
			.withMessageContaining("'" + spiffeId + "' is not in trust domain 'example.org'");
	}

	@Test
	void checkWhenBareTrustDomainIdIsRefused() {
		assertRefused(this.rule, request("spiffe://example.org"), ProblemType.INVALID_SPIFFE_ID)
			.withMessageContaining("names the trust domain, not a workload");
	}

	@ParameterizedTest
	@ValueSource(strings = { "spiffe://example.org/tether/admin", "spiffe://example.org/tether/server",
			"spiffe://example.org/tether", "spiffe://example.org/tether/agent/1" })
	void checkWhenSpiffeIdReservedForTetherIsRefused(String spiffeId) {
		assertRefused(this.rule, request(spiffeId), ProblemType.SAN_NOT_ALLOWED)
			.withMessageContaining("reserved for Tether's own identities");
	}

	private static IssuanceRequest request(String spiffeId) {
		return IssuanceFixtures.request(SpiffeId.parse(spiffeId), List.of(), TTL);
	}

	@Test
	void checkWhenAgentIdAskedByAdminIsRefused() {
		assertRefused(this.rule, request("spiffe://example.org/agent/host-1"), ProblemType.SAN_NOT_ALLOWED)
			.withMessageContaining("/agent/");
	}

}
