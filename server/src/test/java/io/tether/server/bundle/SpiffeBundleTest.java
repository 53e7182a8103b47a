package io.tether.server.bundle;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import io.tether.pki.KeyType;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class SpiffeBundleTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void everyKeyTypeOfARootReadsBackAsItsCertificatesKey() throws Exception {
		List<X509Certificate> anchors = List.of(root(KeyType.EC_P256), root(KeyType.EC_P384), root(KeyType.RSA_2048));
		JWKSet set = JWKSet.parse(SpiffeBundle.write(anchors, 7, Duration.ofSeconds(30)));
		assertThat(set.getKeys()).hasSize(3);
		for (int i = 0; i < anchors.size(); i++) {
			JWK key = set.getKeys().get(i);
			assertThat(key.getKeyUse()).isEqualTo(new KeyUse("x509-svid"));
			assertThat(key.getParsedX509CertChain()).containsExactly(anchors.get(i));
			Object publicKey = (key instanceof ECKey ec) ? ec.toECPublicKey() : ((RSAKey) key).toRSAPublicKey();
			assertThat(publicKey).isEqualTo(anchors.get(i).getPublicKey());
		}
		assertThat(set.getKeys()).extracting((key) -> key.getKeyType().getValue()).containsExactly("EC", "EC", "RSA");
	}

	@Test
	void coordinatesAreAsLongAsTheCurvesField() {
		// a coordinate below 2^248 is one byte short in BigInteger#toByteArray: one in
		// 256 keys
		for (int i = 0; i < 600; i++) {
			X509Certificate root = root(KeyType.EC_P256);
			JsonNode jwk = json.readTree(SpiffeBundle.write(List.of(root), 1, Duration.ofSeconds(1)))
				.get("keys")
				.get(0);
			assertThat(jwk.get("x").asString()).hasSize(43);
			assertThat(jwk.get("y").asString()).hasSize(43);
		}
	}

	@Test
	void sequenceAndRefreshHintAreWholeNumbers() {
		JsonNode bundle = json
			.readTree(SpiffeBundle.write(List.of(root(KeyType.EC_P256)), 12, Duration.ofMillis(1500)));
		assertThat(bundle.get("spiffe_sequence").isIntegralNumber()).isTrue();
		assertThat(bundle.get("spiffe_sequence").asLong()).isEqualTo(12);
		assertThat(bundle.get("spiffe_refresh_hint").asLong()).isEqualTo(1);
		assertThat(json.readTree(SpiffeBundle.write(List.of(), 1, Duration.ZERO)).get("spiffe_refresh_hint").asLong())
			.as("never zero, which would ask peers to poll without pause")
			.isEqualTo(1);
	}

	private static X509Certificate root(KeyType keyType) {
		return TestPki.root(Clock.systemUTC(), keyType).rootCredential().certificate();
	}

}
