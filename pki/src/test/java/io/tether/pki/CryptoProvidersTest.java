package io.tether.pki;

import java.security.Security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CryptoProviders}.
 */
class CryptoProvidersTest {

	@Test
	void bouncyCastleIsSharedInstance() {
		assertThat(CryptoProviders.bouncyCastle()).isSameAs(CryptoProviders.bouncyCastle());
		assertThat(CryptoProviders.bouncyCastle().getName()).isEqualTo("BC");
	}

	@Test
	void bouncyCastleIsNotRegisteredWithTheJvm() {
		// touching the provider must not insert it into what JSSE picks from
		CryptoProviders.bouncyCastle();
		assertThat(Security.getProvider("BC")).isNull();
	}

}
