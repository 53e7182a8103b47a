package io.tether.server.authority;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.tether.server.TetherProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link Pkcs11CaKeyStore}: the settings it refuses before touching a token,
 * and the key attributes it asks the token for. A real token: {@code Pkcs11AuthorityIT}.
 */
class Pkcs11CaKeyStoreTest {

	@TempDir
	Path dir;

	@Test
	void openWithoutLibraryIsRefusedNamingTheSetting() {
		assertThatIllegalStateException()
			.isThrownBy(() -> Pkcs11CaKeyStore.open(new TetherProperties.Pkcs11(null, 1L, null, "1234", null)))
			.withMessageContaining("tether.ca.pkcs11.library (TETHER_CA_PKCS11_LIBRARY)");
	}

	@Test
	void openWithAMissingLibraryIsRefusedNamingThePath() {
		Path missing = this.dir.resolve("libmissing.so");
		assertThatIllegalStateException()
			.isThrownBy(() -> Pkcs11CaKeyStore.open(new TetherProperties.Pkcs11(missing, 1L, null, "1234", null)))
			.withMessageContaining(missing.toString())
			.withMessageContaining("does not exist");
	}

	@Test
	void openWithoutPinIsRefusedNamingBothWaysToGiveIt() throws IOException {
		Path library = Files.writeString(this.dir.resolve("lib.so"), "not loaded");
		assertThatIllegalStateException()
			.isThrownBy(() -> Pkcs11CaKeyStore.open(new TetherProperties.Pkcs11(library, 1L, null, null, null)))
			.withMessageContaining("TETHER_CA_PKCS11_PIN")
			.withMessageContaining("tether.ca.pkcs11.pin-file");
	}

	@Test
	void openWithAnUnreadablePinFileIsRefusedNamingIt() throws IOException {
		Path library = Files.writeString(this.dir.resolve("lib.so"), "not loaded");
		Path pinFile = this.dir.resolve("no-pin");
		assertThatIllegalStateException()
			.isThrownBy(() -> Pkcs11CaKeyStore.open(new TetherProperties.Pkcs11(library, 1L, null, null, pinFile)))
			.withMessageContaining("tether.ca.pkcs11.pin-file " + pinFile);
	}

	@Test
	void openWithAFileThatIsNoPkcs11ModuleIsRefusedNamingTheSettings() throws IOException {
		Path library = Files.writeString(this.dir.resolve("lib.so"), "not a shared object");
		assertThatIllegalStateException()
			.isThrownBy(() -> Pkcs11CaKeyStore.open(new TetherProperties.Pkcs11(library, 1L, null, "1234", null)))
			.withMessageContaining("Cannot open the PKCS#11 token at " + library)
			.withMessageContaining("tether.ca.pkcs11.library");
	}

	@Test
	void configMakesPrivateKeysSensitiveNonExtractableTokenObjects() {
		String config = Pkcs11CaKeyStore.config(Path.of("/usr/lib/softhsm/libsofthsm2.so"), "slot = 7");
		assertThat(config).startsWith("--")
			.contains("library = \"/usr/lib/softhsm/libsofthsm2.so\"", "slot = 7")
			.contains("attributes(generate, CKO_PRIVATE_KEY, *) = {\n  CKA_TOKEN = true\n  CKA_PRIVATE = true\n"
					+ "  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n");
	}

}
