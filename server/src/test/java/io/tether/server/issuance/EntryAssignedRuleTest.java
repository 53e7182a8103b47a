package io.tether.server.issuance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tether.api.ProblemType;
import io.tether.pki.SpiffeId;
import io.tether.server.issuance.RegisteredEntries.RegisteredEntry;
import org.junit.jupiter.api.Test;

import static io.tether.server.issuance.IssuanceFixtures.SPIFFE_ID;
import static io.tether.server.issuance.IssuanceFixtures.assertRefused;
import static io.tether.server.issuance.IssuanceFixtures.csr;
import static io.tether.server.issuance.IssuanceFixtures.properties;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link EntryAssignedRule}: an agent obtains certificates for its own entries
 * only, exactly as registered.
 */
class EntryAssignedRuleTest {

	private static final RegisteredEntry ENTRY = new RegisteredEntry("entry-1", SPIFFE_ID, "host-1",
			List.of("web.internal"), Duration.ofMinutes(5));

	private final EntryAssignedRule rule = new EntryAssignedRule(
			(id) -> Optional.ofNullable(Map.of(ENTRY.id(), ENTRY).get(id)), properties());

	@Test
	void checkWhenEntryIsTheCallingAgentsPasses() {
		assertThatNoException().isThrownBy(() -> this.rule.check(forEntry(ENTRY, "host-1")));
	}

	@Test
	void checkWhenEntryIsAnotherAgentsIsRefused() {
		assertRefused(this.rule, forEntry(ENTRY, "host-2"), ProblemType.ENTRY_NOT_ASSIGNED)
			.withMessageContaining("not assigned to agent 'host-2'");
	}

	@Test
	void checkWhenEntryIsMissingIsRefusedTheSameWay() {
		RegisteredEntry gone = new RegisteredEntry("entry-gone", SPIFFE_ID, "host-1", List.of("web.internal"),
				Duration.ofMinutes(5));
		assertRefused(this.rule, forEntry(gone, "host-1"), ProblemType.ENTRY_NOT_ASSIGNED)
			.withMessageContaining("not assigned to agent 'host-1'");
	}

	@Test
	void checkWhenRequestDiffersFromTheEntryIsRefused() {
		RegisteredEntry widened = new RegisteredEntry("entry-1", SPIFFE_ID, "host-1",
				List.of("web.internal", "admin.internal"), Duration.ofMinutes(5));
		assertRefused(this.rule, forEntry(widened, "host-1"), ProblemType.ENTRY_NOT_ASSIGNED);
		RegisteredEntry longer = new RegisteredEntry("entry-1", SPIFFE_ID, "host-1", List.of("web.internal"),
				Duration.ofHours(5));
		assertRefused(this.rule, forEntry(longer, "host-1"), ProblemType.ENTRY_NOT_ASSIGNED);
	}

	@Test
	void checkWhenRequesterIsNotAnAgentIsRefused() {
		IssuanceRequest request = new IssuanceRequest(csr(SPIFFE_ID), SPIFFE_ID, ENTRY.dnsNames(), ENTRY.ttl(),
				"spiffe://example.org/tether/admin", IssuanceRequest.Purpose.AGENT_WORKLOAD, ENTRY.id());
		assertRefused(this.rule, request, ProblemType.ENTRY_NOT_ASSIGNED);
	}

	private static IssuanceRequest forEntry(RegisteredEntry entry, String agent) {
		return IssuanceRequest.forEntry(csr(SPIFFE_ID, "web.internal"), entry,
				SpiffeId.parse("spiffe://example.org/agent/" + agent).toString());
	}

}
