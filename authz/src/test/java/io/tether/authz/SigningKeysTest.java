package io.tether.authz;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import io.tether.pki.KeyEncryptionKey;
import io.tether.pki.testing.ManualClock;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SigningKeysTest {

	private static final Duration ROTATION = Duration.ofHours(24);

	private static final Duration TTL = Duration.ofMinutes(5);

	private static final Duration RELOAD = Duration.ofSeconds(10);

	private final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T09:00:00Z"));

	private final JdbcTemplate jdbc = AuthzTestDatabase.create();

	private final KeyEncryptionKey kek = KeyEncryptionKey.generate(new SecureRandom());

	private final SigningKeys keys = keys(this.kek);

	private SigningKeys keys(KeyEncryptionKey kek) {
		return new SigningKeys(this.jdbc, kek, ROTATION, TTL, RELOAD, this.clock);
	}

	private static List<String> published(SigningKeys keys) {
		return keys.get(new JWKSelector(new JWKMatcher.Builder().build()), null).stream().map(JWK::getKeyID).toList();
	}

	@Test
	void nextKeyIsPublishedBeforeItSignsAndTheOldOneStaysUntilItsLastTokenExpired() {
		String first = this.keys.current().getKeyID();
		assertThat(published(this.keys)).containsExactly(first);
		assertThat(this.keys.rotate()).isEqualTo("nothing due");

		this.clock.advance(ROTATION.minus(Duration.ofMinutes(1)));
		assertThat(this.keys.rotate()).startsWith("prepared signing key");
		this.keys.reload();
		String second = published(this.keys).get(0);
		assertThat(second).isNotEqualTo(first);
		assertThat(published(this.keys)).containsExactly(second, first);
		assertThat(this.keys.current().getKeyID()).as("prepared: published, signs nothing").isEqualTo(first);

		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.keys.current().getKeyID()).isEqualTo(second);
		assertThat(this.keys.rotate()).isEqualTo("nothing due");

		this.clock.advance(TTL.plus(Duration.ofMinutes(5)));
		this.keys.rotate();
		this.keys.reload();
		assertThat(published(this.keys)).as("its last token has not expired, give or take skew")
			.containsExactly(second, first);

		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.keys.rotate()).contains("removed 1 retired signing key");
		this.keys.reload();
		assertThat(published(this.keys)).containsExactly(second);
	}

	@Test
	void anotherInstanceOnTheSameDatabaseSignsWithTheSameKeyAndSeesRotations() throws Exception {
		ECKey signing = this.keys.current();
		SigningKeys other = keys(this.kek);
		assertThat(other.current().getKeyID()).isEqualTo(signing.getKeyID());
		JWSObject signed = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload("{}"));
		signed.sign(new ECDSASigner(other.current()));
		assertThat(signed.verify(new ECDSAVerifier(signing.toECPublicKey()))).isTrue();

		this.clock.advance(ROTATION);
		this.keys.rotate();
		assertThat(published(other)).hasSize(1);
		other.reload();
		assertThat(published(other)).hasSize(2);
	}

	@Test
	void privateKeyIsSealedInTheDatabase() throws Exception {
		ECKey signing = this.keys.current();
		String sealed = this.jdbc.queryForObject("select sealed_private_key from authz_signing_key", String.class);
		String publicJwk = this.jdbc.queryForObject("select public_jwk from authz_signing_key", String.class);
		assertThat(publicJwk).doesNotContain("\"d\"");
		assertThat(HexFormat.of().formatHex(Base64.getDecoder().decode(sealed)))
			.doesNotContain(HexFormat.of().formatHex(signing.getD().decode()));
		assertThat(sealed).doesNotContain(signing.getD().toString());
	}

	@Test
	void anInstanceWithAnotherKekRefusesToStartWithAMessageThatSaysSo() {
		this.keys.current();
		SigningKeys wrong = keys(KeyEncryptionKey.generate(new SecureRandom()));
		assertThatIllegalStateException().isThrownBy(wrong::current)
			.withMessageContaining("does not open")
			.withMessageContaining("tether.authz.kek");
		assertThat(this.jdbc.queryForObject("select count(*) from authz_signing_key", Integer.class))
			.as("no key of its own added")
			.isEqualTo(1);
	}

	@Test
	void publishLeadIsThreeReloadsOrAMinuteButAtMostHalfARotation() {
		assertThat(SigningKeys.publishLead(ROTATION, RELOAD)).isEqualTo(Duration.ofMinutes(1));
		assertThat(SigningKeys.publishLead(ROTATION, Duration.ofMinutes(2))).isEqualTo(Duration.ofMinutes(6));
		assertThat(SigningKeys.publishLead(Duration.ofSeconds(40), RELOAD)).isEqualTo(Duration.ofSeconds(20));
	}

}
