package io.tether.server.authority;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.tether.pki.KeyEncryptionKey;
import io.tether.pki.KeyType;
import io.tether.server.TetherProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Tests for {@link KeyEncryptionKeyLoader}.
 */
class KeyEncryptionKeyLoaderTest {

	private static final byte[] AUTHORITY = "authority-1".getBytes(StandardCharsets.UTF_8);

	private final SecureRandom random = new SecureRandom();

	@TempDir
	Path temp;

	@Test
	void loadWhenKekSetUsesIt() {
		KeyEncryptionKey kek = KeyEncryptionKey.generate(this.random);
		KeyEncryptionKey loaded = KeyEncryptionKeyLoader.load(properties(kek.toBase64(), null), false, this.random);
		assertThat(loaded.toBase64()).isEqualTo(kek.toBase64());
	}

	@Test
	void loadWhenKekAndKekFileSetPrefersKek() throws IOException {
		KeyEncryptionKey kek = KeyEncryptionKey.generate(this.random);
		Path file = writeKekFile(KeyEncryptionKey.generate(this.random).toBase64());
		KeyEncryptionKey loaded = KeyEncryptionKeyLoader.load(properties(kek.toBase64(), file), true, this.random);
		assertThat(loaded.toBase64()).isEqualTo(kek.toBase64());
	}

	@Test
	void loadWhenKekSetWithEmbeddedDatabaseWritesNoFile() {
		KeyEncryptionKey kek = KeyEncryptionKey.generate(this.random);
		KeyEncryptionKeyLoader.load(properties(kek.toBase64(), null), true, this.random);
		assertThat(dataDir().resolve("kek")).doesNotExist();
	}

	@Test
	void loadWhenKekFileSetReadsIt() throws IOException {
		KeyEncryptionKey kek = KeyEncryptionKey.generate(this.random);
		Path file = writeKekFile(kek.toBase64() + "\n");
		KeyEncryptionKey loaded = KeyEncryptionKeyLoader.load(properties(null, file), false, this.random);
		assertThat(loaded.toBase64()).isEqualTo(kek.toBase64());
	}

	@Test
	void loadWhenKekBlankFallsBackToKekFile() throws IOException {
		KeyEncryptionKey kek = KeyEncryptionKey.generate(this.random);
		Path file = writeKekFile(kek.toBase64());
		KeyEncryptionKey loaded = KeyEncryptionKeyLoader.load(properties("  ", file), false, this.random);
		assertThat(loaded.toBase64()).isEqualTo(kek.toBase64());
	}

	@Test
	void loadWhenEmbeddedDatabaseWithoutKekGeneratesOwnerOnlyFile() throws IOException {
		KeyEncryptionKey kek = KeyEncryptionKeyLoader.load(properties(null, null), true, this.random);
		Path file = dataDir().resolve("kek");
		assertThat(file).isRegularFile().hasContent(kek.toBase64());
		try (Stream<Path> files = Files.list(dataDir())) {
			assertThat(files).containsExactly(file);
		}
		assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
	}

	@Test
	void loadWhenEmbeddedDatabaseLoadedTwiceReturnsSameKek() {
		PrivateKey key = KeyType.EC_P256.generate().getPrivate();
		KeyEncryptionKey first = KeyEncryptionKeyLoader.load(properties(null, null), true, this.random);
		byte[] sealed = first.seal(key, AUTHORITY);
		KeyEncryptionKey second = KeyEncryptionKeyLoader.load(properties(null, null), true, this.random);
		assertThat(second.open(sealed, AUTHORITY).getEncoded()).isEqualTo(key.getEncoded());
	}

	@Test
	void loadWhenExternalDatabaseWithoutKekIsRefused() {
		assertThatIllegalStateException()
			.isThrownBy(() -> KeyEncryptionKeyLoader.load(properties(null, null), false, this.random))
			.withMessageContaining("external database")
			.withMessageContaining("TETHER_KEK");
		assertThat(dataDir().resolve("kek")).doesNotExist();
	}

	@Test
	void loadWhenExternalDatabaseIgnoresGeneratedKekFile() {
		KeyEncryptionKeyLoader.load(properties(null, null), true, this.random);
		assertThat(dataDir().resolve("kek")).exists();
		assertThatIllegalStateException()
			.isThrownBy(() -> KeyEncryptionKeyLoader.load(properties(null, null), false, this.random))
			.withMessageContaining("TETHER_KEK");
	}

	@Test
	void loadWhenKekNotBase64IsRefusedNamingTheSource() {
		assertThatIllegalStateException()
			.isThrownBy(() -> KeyEncryptionKeyLoader.load(properties("not base64!", null), true, this.random))
			.withMessageStartingWith("TETHER_KEK (tether.kek) is not usable")
			.withMessageContaining("not base64");
	}

	@Test
	void loadWhenKekTooShortIsRefusedNamingTheSource() {
		assertThatIllegalStateException()
			.isThrownBy(() -> KeyEncryptionKeyLoader.load(properties("AAAA", null), true, this.random))
			.withMessageStartingWith("TETHER_KEK (tether.kek) is not usable")
			.withMessageContaining("got 3 bytes");
	}

	@Test
	void loadWhenKekFileMalformedIsRefusedNamingTheFile() throws IOException {
		Path file = writeKekFile("AAAA");
		assertThatIllegalStateException()
			.isThrownBy(() -> KeyEncryptionKeyLoader.load(properties(null, file), false, this.random))
			.withMessageStartingWith("KEK file " + file.toAbsolutePath() + " is not usable");
	}

	@Test
	void loadWhenGeneratedKekFileCorruptedIsRefusedNamingTheFile() throws IOException {
		Path file = dataDir().resolve("kek");
		Files.createDirectories(dataDir());
		Files.writeString(file, "corrupted", StandardCharsets.US_ASCII);
		assertThatIllegalStateException()
			.isThrownBy(() -> KeyEncryptionKeyLoader.load(properties(null, null), true, this.random))
			.withMessageStartingWith("KEK file " + file.toAbsolutePath() + " is not usable");
	}

	@Test
	void loadWhenKekFileMissingIsRefusedNamingTheFile() {
		Path file = this.temp.resolve("missing-kek");
		assertThatIllegalStateException()
			.isThrownBy(() -> KeyEncryptionKeyLoader.load(properties(null, file), true, this.random))
			.withMessageStartingWith("Cannot read the KEK file " + file.toAbsolutePath());
	}

	private Path dataDir() {
		return this.temp.resolve("data");
	}

	private Path writeKekFile(String content) throws IOException {
		Path file = this.temp.resolve("kek-file");
		Files.writeString(file, content, StandardCharsets.US_ASCII);
		return file;
	}

	private TetherProperties properties(String kek, Path kekFile) {
		return new TetherProperties(dataDir(), "example.org", kek, kekFile,
				new TetherProperties.Ca(Duration.ofDays(3650), Duration.ofDays(365), Duration.ofMinutes(1), "kek",
						new TetherProperties.Pkcs11(null, null, null, null, null)),
				new TetherProperties.Issuance(Duration.ofHours(24), Duration.ofMinutes(1), Duration.ofHours(1),
						List.of("ec-p256", "ec-p384", "ed25519", "rsa-2048", "rsa-3072", "rsa-4096"), List.of(),
						Duration.ZERO, 256, 8192),
				new TetherProperties.Server(List.of(), Duration.ofDays(30), Duration.ofMinutes(1)),
				new TetherProperties.Admin(Duration.ofDays(90), Duration.ofHours(1), false),
				new TetherProperties.Agent(Duration.ofHours(24), Duration.ofDays(7)),
				new TetherProperties.Jobs(
						new TetherProperties.Jobs.JoinTokenPurge(Duration.ofHours(1), Duration.ofMinutes(50),
								Duration.ofDays(1)),
						new TetherProperties.Jobs.CertificateRetention(Duration.ofMinutes(10), Duration.ofDays(3),
								1000),
						new TetherProperties.Jobs.AuditRetention(Duration.ofHours(1), Duration.ofDays(365), 1000),
						new TetherProperties.Jobs.AuditSeal(Duration.ofSeconds(1), 1000, Duration.ofMinutes(1), 10000,
								Duration.ofMinutes(5))),
				new TetherProperties.Revocation(-1, null, Duration.ofDays(1), Duration.ofSeconds(10),
						Duration.ofMinutes(5), Duration.ofDays(1), Duration.ofSeconds(2), true, false, false),
				new TetherProperties.Metrics(Duration.ofSeconds(30)),
				new TetherProperties.JwtSvid(Duration.ofMinutes(5), Duration.ofDays(7), Duration.ofDays(1),
						Duration.ofMinutes(1)),
				TetherProperties.Throttle.defaults(),
				new TetherProperties.Operators(Duration.ofHours(1), Duration.ofHours(8)));
	}

}
