package io.tether.cli;

import java.time.Duration;
import java.time.Instant;

import io.tether.pki.KeyType;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any command renews an operator certificate once half of its life is gone, and never
 * another certificate.
 */
class OperatorRenewalTest {

	private final TestPki pki = TestPki.root();

	@Test
	void anOperatorCertificateIsDueFromHalfOfItsLifeUntilItExpires() {
		var leaf = this.pki.leaf(KeyType.EC_P256, Duration.ofHours(8), "spiffe://example.org/tether/operator/alice");
		Instant notBefore = leaf.certificate().getNotBefore().toInstant();
		Instant notAfter = leaf.certificate().getNotAfter().toInstant();
		Instant half = notBefore.plus(Duration.between(notBefore, notAfter).dividedBy(2));
		assertThat(OperatorRenewal.due(leaf.certificate(), half.minusSeconds(1))).isFalse();
		assertThat(OperatorRenewal.due(leaf.certificate(), half)).isTrue();
		assertThat(OperatorRenewal.due(leaf.certificate(), notAfter.minusSeconds(1))).isTrue();
		// expired: nothing a handshake would accept is left to renew with
		assertThat(OperatorRenewal.due(leaf.certificate(), notAfter)).isFalse();
	}

	@Test
	void theBootstrapAdminAndOtherCertificatesAreNeverRenewedThisWay() {
		for (String id : new String[] { "spiffe://example.org/tether/admin", "spiffe://example.org/ns/web",
				"spiffe://example.org/agent/host-1" }) {
			var leaf = this.pki.leaf(KeyType.EC_P256, Duration.ofHours(8), id);
			Instant late = leaf.certificate().getNotAfter().toInstant().minusSeconds(60);
			assertThat(OperatorRenewal.due(leaf.certificate(), late)).as(id).isFalse();
		}
	}

}
