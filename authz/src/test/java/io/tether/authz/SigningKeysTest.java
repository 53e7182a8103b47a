package io.tether.authz;

import java.time.Duration;
import java.util.List;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SigningKeysTest {

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

		this.clock.advance(Duration.ofHours(24));
		String second = this.keys.current().getKeyID();
		assertThat(second).isNotEqualTo(first);
		assertThat(published()).containsExactly(second, first);

		this.clock.advance(Duration.ofMinutes(11));
		assertThat(published()).containsExactly(second);
	}

}
