package io.tether.pki;

import java.security.KeyPair;
import java.util.EnumMap;
import java.util.Map;

/**
 * Key pairs shared by the tests of this module: RSA generation is slow on a shared build
 * machine, so each type is generated once per test run. Tests of
 * {@link KeyType#generate()} itself do not use this.
 */
final class TestKeys {

	private static final Map<KeyType, KeyPair> KEYS = new EnumMap<>(KeyType.class);

	private TestKeys() {
	}

	static synchronized KeyPair of(KeyType type) {
		return KEYS.computeIfAbsent(type, KeyType::generate);
	}

}
