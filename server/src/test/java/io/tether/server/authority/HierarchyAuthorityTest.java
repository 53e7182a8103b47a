package io.tether.server.authority;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HierarchyAuthorityTest {

	@Test
	void refreshHintIsATenthOfThePublicationLead() {
		// a 10 min intermediate is published 100 s (a sixth of its life) before it signs
		assertThat(HierarchyAuthority.refreshHint(Duration.ofMinutes(10))).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void refreshHintOfLongLifetimesIsFiveMinutes() {
		assertThat(HierarchyAuthority.refreshHint(Duration.ofDays(365))).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void refreshHintOfCompressedLifetimesIsOneSecond() {
		assertThat(HierarchyAuthority.refreshHint(Duration.ofSeconds(12))).isEqualTo(Duration.ofSeconds(1));
	}

}
