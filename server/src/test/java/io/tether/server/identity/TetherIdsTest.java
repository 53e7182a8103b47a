package io.tether.server.identity;

import io.tether.pki.SpiffeId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TetherIdsTest {

	@Test
	void anOperatorIdNamesItsOperatorInItsTrustDomainOnly() {
		SpiffeId alice = TetherIds.operator("example.org", "alice");
		assertThat(alice).hasToString("spiffe://example.org/tether/operator/alice");
		assertThat(TetherIds.operatorName(alice, "example.org")).isEqualTo("alice");
		assertThat(TetherIds.operatorName(alice, "other.org")).isNull();
		assertThat(TetherIds.isReserved(alice)).isTrue();
	}

	@Test
	void otherIdsNameNoOperator() {
		for (String id : new String[] { "spiffe://example.org/tether/admin", "spiffe://example.org/agent/alice",
				"spiffe://example.org/tether/operator/alice/extra", "spiffe://example.org/ns/tether/operator/alice" }) {
			assertThat(TetherIds.operatorName(SpiffeId.parse(id), "example.org")).as(id).isNull();
		}
	}

}
