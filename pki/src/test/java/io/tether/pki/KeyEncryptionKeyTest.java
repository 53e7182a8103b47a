package io.tether.pki;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link KeyEncryptionKey}.
 */
class KeyEncryptionKeyTest {

	private static final byte[] AUTHORITY = "authority-1".getBytes(StandardCharsets.UTF_8);

	private final SecureRandom random = new SecureRandom();

	private final KeyEncryptionKey kek = KeyEncryptionKey.generate(this.random);

	@ParameterizedTest
	@EnumSource(value = KeyType.class, names = { "EC_P256", "EC_P384", "ED25519", "RSA_2048" })
	void sealThenOpenReturnsSameKey(KeyType type) {
		PrivateKey key = TestKeys.of(type).getPrivate();
		PrivateKey opened = this.kek.open(this.kek.seal(key, AUTHORITY), AUTHORITY);
		assertThat(opened.getAlgorithm()).isEqualTo(key.getAlgorithm());
		assertThat(opened.getEncoded()).isEqualTo(key.getEncoded());
	}

	@Test
	void sealDoesNotContainThePlainKey() {
		byte[] plain = TestKeys.of(KeyType.EC_P256).getPrivate().getEncoded();
		byte[] sealed = this.kek.seal(TestKeys.of(KeyType.EC_P256).getPrivate(), AUTHORITY);
		assertThat(indexOf(sealed, Arrays.copyOfRange(plain, 0, 16))).isEqualTo(-1);
		assertThat(indexOf(sealed, Arrays.copyOfRange(plain, plain.length - 16, plain.length))).isEqualTo(-1);
	}

	@Test
	void sealTwiceUsesFreshNonces() {
		PrivateKey key = TestKeys.of(KeyType.EC_P256).getPrivate();
		byte[] first = this.kek.seal(key, AUTHORITY);
		byte[] second = this.kek.seal(key, AUTHORITY);
		assertThat(Arrays.copyOfRange(first, 1, 13)).isNotEqualTo(Arrays.copyOfRange(second, 1, 13));
		assertThat(first).isNotEqualTo(second);
	}

	@Test
	void openWithAnotherKekFails() {
		byte[] sealed = this.kek.seal(TestKeys.of(KeyType.EC_P256).getPrivate(), AUTHORITY);
		KeyEncryptionKey other = KeyEncryptionKey.generate(this.random);
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> other.open(sealed, AUTHORITY))
			.withMessageContaining("KEK");
	}

	@Test
	void openWithOtherAssociatedDataFails() {
		byte[] sealed = this.kek.seal(TestKeys.of(KeyType.EC_P256).getPrivate(), AUTHORITY);
		assertThatExceptionOfType(PkiException.class)
			.isThrownBy(() -> this.kek.open(sealed, "authority-2".getBytes(StandardCharsets.UTF_8)));
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> this.kek.open(sealed, new byte[0]));
	}

	@Test
	void openWhenCiphertextAlteredFails() {
		byte[] sealed = this.kek.seal(TestKeys.of(KeyType.EC_P256).getPrivate(), AUTHORITY);
		sealed[sealed.length / 2] ^= 0x01;
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> this.kek.open(sealed, AUTHORITY));
	}

	@Test
	void openWhenNonceAlteredFails() {
		byte[] sealed = this.kek.seal(TestKeys.of(KeyType.EC_P256).getPrivate(), AUTHORITY);
		sealed[1] ^= 0x01;
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> this.kek.open(sealed, AUTHORITY));
	}

	@Test
	void openWhenTagAlteredFails() {
		byte[] sealed = this.kek.seal(TestKeys.of(KeyType.EC_P256).getPrivate(), AUTHORITY);
		sealed[sealed.length - 1] ^= 0x01;
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> this.kek.open(sealed, AUTHORITY));
	}

	@Test
	void openWhenTruncatedFails() {
		byte[] sealed = this.kek.seal(TestKeys.of(KeyType.EC_P256).getPrivate(), AUTHORITY);
		assertThatExceptionOfType(PkiException.class)
			.isThrownBy(() -> this.kek.open(Arrays.copyOf(sealed, sealed.length - 1), AUTHORITY));
		assertThatExceptionOfType(PkiException.class)
			.isThrownBy(() -> this.kek.open(Arrays.copyOf(sealed, 20), AUTHORITY))
			.withMessageContaining("truncated");
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> this.kek.open(new byte[0], AUTHORITY))
			.withMessageContaining("truncated");
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> this.kek.open(null, AUTHORITY))
			.withMessageContaining("truncated");
	}

	@Test
	void openWhenVersionUnknownFails() {
		byte[] sealed = this.kek.seal(TestKeys.of(KeyType.EC_P256).getPrivate(), AUTHORITY);
		sealed[0] = 2;
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> this.kek.open(sealed, AUTHORITY))
			.withMessageContaining("unknown format");
	}

	@Test
	void toBase64ThenFromBase64OpensWhatTheOriginalSealed() {
		PrivateKey key = TestKeys.of(KeyType.EC_P256).getPrivate();
		byte[] sealed = this.kek.seal(key, AUTHORITY);
		String text = this.kek.toBase64();
		assertThat(text).hasSize(44);
		assertThat(Base64.getDecoder().decode(text)).hasSize(KeyEncryptionKey.LENGTH);
		assertThat(KeyEncryptionKey.fromBase64(text).open(sealed, AUTHORITY).getEncoded()).isEqualTo(key.getEncoded());
	}

	@Test
	void fromBase64AcceptsUrlAlphabetWithoutPaddingAndSurroundingSpace() {
		byte[] bytes = new byte[KeyEncryptionKey.LENGTH];
		Arrays.fill(bytes, (byte) 0xfb);
		String standard = Base64.getEncoder().encodeToString(bytes);
		assertThat(standard).contains("+", "/", "=");
		String url = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		assertThat(KeyEncryptionKey.fromBase64(standard).toBase64()).isEqualTo(standard);
		assertThat(KeyEncryptionKey.fromBase64(url).toBase64()).isEqualTo(standard);
		assertThat(KeyEncryptionKey.fromBase64("  " + standard + "\n").toBase64()).isEqualTo(standard);
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 16, 31, 33, 64 })
	void fromBase64WhenNot32BytesIsRejected(int length) {
		String text = Base64.getEncoder().encodeToString(new byte[length]);
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> KeyEncryptionKey.fromBase64(text))
			.withMessageContaining("KEK must be base64 of 32 random bytes")
			.withMessageContaining("got " + length + " bytes");
	}

	@Test
	void fromBase64WhenNotBase64IsRejected() {
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> KeyEncryptionKey.fromBase64("not a key ="))
			.withMessageContaining("KEK");
	}

	@Test
	void fromBase64WhenNullIsRejected() {
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> KeyEncryptionKey.fromBase64(null))
			.withMessage("'text' must not be null");
	}

	@Test
	void toStringDoesNotShowKey() {
		String text = this.kek.toBase64();
		String url = Base64.getUrlEncoder().withoutPadding().encodeToString(Base64.getDecoder().decode(text));
		assertThat(this.kek.toString()).doesNotContain(text)
			.doesNotContain(text.substring(0, 16))
			.doesNotContain(url.substring(0, 16));
	}

	private static int indexOf(byte[] haystack, byte[] needle) {
		for (int i = 0; i + needle.length <= haystack.length; i++) {
			if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
				return i;
			}
		}
		return -1;
	}

	@Test
	void deriveIsHkdfExpandOfTheKekWithTheLabel() {
		// RFC 5869 test case 1's PRK; the expected key is HMAC-SHA-256(PRK, label ||
		// 0x01)
		// as computed by another implementation (Python's hmac)
		byte[] prk = HexFormat.of().parseHex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
		KeyEncryptionKey known = KeyEncryptionKey.fromBase64(Base64.getEncoder().encodeToString(prk));
		assertThat(HexFormat.of().formatHex(known.derive("tether audit checkpoint v1").getEncoded()))
			.isEqualTo("08894a086b7d4a98192c39bb127f48465db9c934325b7764ebc698c77710a5be");
	}

	@Test
	void deriveGivesIndependentKeysPerLabelAndTheSameKeyForTheSameLabel() {
		assertThat(this.kek.derive("label a").getEncoded()).isEqualTo(this.kek.derive("label a").getEncoded())
			.isNotEqualTo(this.kek.derive("label b").getEncoded());
		assertThat(KeyEncryptionKey.generate(this.random).derive("label a").getEncoded())
			.isNotEqualTo(this.kek.derive("label a").getEncoded());
	}

	@Test
	void deriveWithoutLabelIsRefused() {
		assertThatExceptionOfType(PkiException.class).isThrownBy(() -> this.kek.derive(""))
			.withMessage("'label' must not be empty");
	}

}
