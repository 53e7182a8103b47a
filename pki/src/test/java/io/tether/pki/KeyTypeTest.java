package io.tether.pki;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Locale;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link KeyType}.
 */
class KeyTypeTest {

	@ParameterizedTest
	@EnumSource(KeyType.class)
	void generateThenOfReturnsSameType(KeyType type) throws Exception {
		KeyPair keys = type.generate();
		assertThat(KeyType.of(keys.getPublic())).isEqualTo(type);
		assertThat(KeyType.of(SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()))).isEqualTo(type);
		Signature signer = Signature.getInstance(type.signatureAlgorithm());
		signer.initSign(keys.getPrivate());
		signer.update(new byte[] { 1, 2, 3 });
		byte[] signature = signer.sign();
		Signature verifier = Signature.getInstance(type.signatureAlgorithm());
		verifier.initVerify(keys.getPublic());
		verifier.update(new byte[] { 1, 2, 3 });
		assertThat(verifier.verify(signature)).isTrue();
	}

	@Test
	void generateRsaHasTheNamedModulusSizeAndF4Exponent() {
		RSAPublicKey key = (RSAPublicKey) TestKeys.of(KeyType.RSA_2048).getPublic();
		assertThat(key.getModulus().bitLength()).isEqualTo(2048);
		assertThat(key.getPublicExponent()).isEqualTo(BigInteger.valueOf(65537));
	}

	@Test
	void generateEcUsesTheNamedCurve() {
		assertThat(((ECPublicKey) TestKeys.of(KeyType.EC_P256).getPublic()).getParams()
			.getCurve()
			.getField()
			.getFieldSize()).isEqualTo(256);
		assertThat(((ECPublicKey) TestKeys.of(KeyType.EC_P384).getPublic()).getParams()
			.getCurve()
			.getField()
			.getFieldSize()).isEqualTo(384);
	}

	@Test
	void generateReturnsFreshKeys() {
		assertThat(KeyType.EC_P256.generate().getPublic()).isNotEqualTo(KeyType.EC_P256.generate().getPublic());
	}

	@Test
	void ofWhenRsa1024IsRejected() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(1024);
		PublicKey key = generator.generateKeyPair().getPublic();
		assertThatExceptionOfType(UnsupportedKeyException.class).isThrownBy(() -> KeyType.of(key))
			.withMessageContaining("1024 bits is not supported")
			.withMessageContaining("2048, 3072 or 4096");
	}

	@ParameterizedTest
	@ValueSource(strings = { "secp521r1", "secp256k1" })
	void ofWhenEcCurveIsNotP256OrP384IsRejected(String curve) throws Exception {
		// BouncyCastle's provider knows secp256k1, which the JDK dropped
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", CryptoProviders.bouncyCastle());
		generator.initialize(new ECGenParameterSpec(curve));
		PublicKey key = generator.generateKeyPair().getPublic();
		assertThatExceptionOfType(UnsupportedKeyException.class).isThrownBy(() -> KeyType.of(key))
			.withMessageContaining("is not supported")
			.withMessageContaining("P-256 or P-384");
	}

	@Test
	void ofWhenEd448IsRejected() throws Exception {
		PublicKey key = KeyPairGenerator.getInstance("Ed448").generateKeyPair().getPublic();
		assertThatExceptionOfType(UnsupportedKeyException.class).isThrownBy(() -> KeyType.of(key))
			.withMessageContaining("is not supported")
			.withMessageContaining("ed25519");
	}

	@Test
	void ofWhenNullIsRejected() {
		assertThatExceptionOfType(UnsupportedKeyException.class).isThrownBy(() -> KeyType.of((PublicKey) null))
			.withMessage("'key' must not be null");
	}

	@Test
	void parseAcceptsIds() {
		assertThat(KeyType.parse("ec-p256")).isEqualTo(KeyType.EC_P256);
		assertThat(KeyType.parse("ec-p384")).isEqualTo(KeyType.EC_P384);
		assertThat(KeyType.parse("ed25519")).isEqualTo(KeyType.ED25519);
		assertThat(KeyType.parse("rsa-4096")).isEqualTo(KeyType.RSA_4096);
	}

	@Test
	void parseAcceptsEnumNamesAnyCaseAndSurroundingSpace() {
		assertThat(KeyType.parse("RSA_2048")).isEqualTo(KeyType.RSA_2048);
		assertThat(KeyType.parse("EC_P384")).isEqualTo(KeyType.EC_P384);
		assertThat(KeyType.parse(" Ec-P256 ")).isEqualTo(KeyType.EC_P256);
	}

	@ParameterizedTest
	@EnumSource(KeyType.class)
	void parseOfIdReturnsSameType(KeyType type) {
		assertThat(KeyType.parse(type.id())).isEqualTo(type);
		assertThat(KeyType.parse(type.name())).isEqualTo(type);
	}

	@ParameterizedTest
	@ValueSource(strings = { "rsa-1024", "ec-p521", "ecdsa", "", "rsa 2048" })
	void parseWhenUnknownIsRejectedListingSupportedIds(String name) {
		assertThatExceptionOfType(UnsupportedKeyException.class).isThrownBy(() -> KeyType.parse(name))
			.withMessageContaining("Unknown key type '" + name + "'")
			.withMessageContaining("ec-p256, ec-p384, ed25519, rsa-2048, rsa-3072, rsa-4096");
	}

	@Test
	void parseWhenNullIsRejected() {
		assertThatExceptionOfType(UnsupportedKeyException.class).isThrownBy(() -> KeyType.parse(null))
			.withMessage("'keyType' must not be null");
	}

	@Test
	void idsAreDistinctAndLowerCase() {
		assertThat(Arrays.stream(KeyType.values()).map(KeyType::id)).doesNotHaveDuplicates()
			.allSatisfy((id) -> assertThat(id).isEqualTo(id.toLowerCase(Locale.ROOT)));
	}

	@Test
	void isRsaOnlyForRsaTypes() {
		assertThat(Arrays.stream(KeyType.values()).filter(KeyType::isRsa)).containsExactly(KeyType.RSA_2048,
				KeyType.RSA_3072, KeyType.RSA_4096);
	}

	@Test
	void matchesTellsAPairFromTwoKeys() {
		java.security.KeyPair one = KeyType.EC_P256.generate();
		java.security.KeyPair other = KeyType.EC_P256.generate();
		org.assertj.core.api.Assertions.assertThat(KeyType.matches(one.getPrivate(), one.getPublic())).isTrue();
		org.assertj.core.api.Assertions.assertThat(KeyType.matches(one.getPrivate(), other.getPublic())).isFalse();
		org.assertj.core.api.Assertions
			.assertThat(KeyType.matches(KeyType.ED25519.generate().getPrivate(), one.getPublic()))
			.isFalse();
	}

}
