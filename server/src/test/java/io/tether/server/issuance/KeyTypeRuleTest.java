package io.tether.server.issuance;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;

import io.tether.api.ProblemType;
import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.tether.server.issuance.IssuanceFixtures.SPIFFE_ID;
import static io.tether.server.issuance.IssuanceFixtures.TTL;
import static io.tether.server.issuance.IssuanceFixtures.assertRefused;
import static io.tether.server.issuance.IssuanceFixtures.properties;
import static io.tether.server.issuance.IssuanceFixtures.request;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link KeyTypeRule}.
 */
class KeyTypeRuleTest {

	@Test
	void checkWhenEcP256AllowedPasses() {
		KeyTypeRule rule = new KeyTypeRule(properties());
		assertThatNoException().isThrownBy(() -> rule.check(request(SPIFFE_ID, List.of(), TTL)));
	}

	@ParameterizedTest
	@EnumSource(value = KeyType.class, names = { "EC_P384", "ED25519" })
	void checkWhenOtherAllowedTypePasses(KeyType type) {
		KeyTypeRule rule = new KeyTypeRule(properties());
		Csr csr = Csr.create(type.generate(), SPIFFE_ID, List.of());
		assertThatNoException().isThrownBy(() -> rule.check(request(csr, SPIFFE_ID, List.of(), TTL)));
	}

	@Test
	void checkWhenRsa1024IsRefused() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(1024);
		KeyPair keys = generator.generateKeyPair();
		Csr csr = IssuanceFixtures.bouncyCastleCsr(keys, "SHA256withRSA");
		KeyTypeRule rule = new KeyTypeRule(properties());
		assertRefused(rule, request(csr, SPIFFE_ID, List.of(), TTL), ProblemType.KEY_TYPE_NOT_ALLOWED)
			.withMessageContaining("RSA key of 1024 bits is not supported");
	}

	@Test
	void checkWhenSupportedTypeNotInAllowedListIsRefused() {
		KeyTypeRule rule = new KeyTypeRule(properties(List.of("ec-p256", "ec-p384"), List.of()));
		Csr csr = Csr.create(KeyType.ED25519.generate(), SPIFFE_ID, List.of());
		assertRefused(rule, request(csr, SPIFFE_ID, List.of(), TTL), ProblemType.KEY_TYPE_NOT_ALLOWED)
			.withMessage("Key type ed25519 is not allowed here; allowed: ec-p256, ec-p384");
	}

	@Test
	void checkWhenAllowedListNamesTypesInOtherSpellingMatches() {
		KeyTypeRule rule = new KeyTypeRule(properties(List.of("EC_P256"), List.of()));
		assertThatNoException().isThrownBy(() -> rule.check(request(SPIFFE_ID, List.of(), TTL)));
	}

}
