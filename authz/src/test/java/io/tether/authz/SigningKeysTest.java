package io.tether.authz;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SigningKeysTest {

	private static final class MovableClock extends Clock {

		private Instant now = Instant.parse("2026-11-25T09:00:00Z");

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

	private final MovableClock clock = new MovableClock();

	private final SigningKeys keys = new SigningKeys(Duration.ofHours(24), Duration.ofMinutes(5), this.clock);

	private List<String> published() {
		return this.keys.get(new JWKSelector(new JWKMatcher.Builder().build()), null)
			.stream()
			.map(JWK::getKeyID)
			.toList();
	}

	@Test
	void newestKeySignsAndTheRetiredOneStaysPublishedForOneTokenLifetime() {
		String first = this.keys.current().getKeyID();
		assertThat(this.keys.current().getKeyID()).isEqualTo(first);
		assertThat(published()).containsExactly(first);

		this.clock.now = this.clock.now.plus(Duration.ofHours(24));
		String second = this.keys.current().getKeyID();
		assertThat(second).isNotEqualTo(first);
		assertThat(published()).containsExactly(second, first);

		this.clock.now = this.clock.now.plus(Duration.ofMinutes(11));
		assertThat(published()).containsExactly(second);
	}

}
