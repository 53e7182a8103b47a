package io.tether.authz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

import io.tether.pki.AtomicFiles;
import io.tether.pki.KeyEncryptionKey;
import io.tether.pki.PkiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the key-encryption key that seals the token signing keys in the database:
 * {@code tether.authz.kek} ({@code TETHER_AUTHZ_KEK}), else the file
 * {@code tether.authz.kek-file}, else, for the embedded database only,
 * {@code <data-dir>/kek}, generated with mode 0600 on first start. With an external
 * database there is no generated fallback: every instance must hold the same KEK, and a
 * KEK lying next to its database protects nothing. The same rules as the CA's.
 */
final class AuthzKeyEncryptionKey {

	private static final Logger logger = LoggerFactory.getLogger(AuthzKeyEncryptionKey.class);

	private AuthzKeyEncryptionKey() {
	}

	static KeyEncryptionKey load(AuthzProperties properties, boolean embeddedDatabase, SecureRandom random) {
		if (properties.kek() != null && !properties.kek().isBlank()) {
			return parse(properties.kek(), "TETHER_AUTHZ_KEK (tether.authz.kek)");
		}
		if (properties.kekFile() != null) {
			return readFile(properties.kekFile());
		}
		if (!embeddedDatabase) {
			throw new IllegalStateException("The authorization server uses an external database, so it needs a "
					+ "key-encryption key you supply: set TETHER_AUTHZ_KEK to base64 of 32 random bytes "
					+ "('openssl rand -base64 32'), or tether.authz.kek-file to a file holding it. Keep it out of the "
					+ "database and the same on every instance.");
		}
		Path file = properties.dataDir().resolve("kek");
		if (Files.exists(file)) {
			return readFile(file);
		}
		KeyEncryptionKey kek = KeyEncryptionKey.generate(random);
		try {
			AtomicFiles.write(file, (kek.toBase64() + "\n").getBytes(StandardCharsets.US_ASCII),
					AtomicFiles.OWNER_ONLY);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the KEK file " + file.toAbsolutePath(), ex);
		}
		logger.warn("""

				**************************************************************************************
				* Generated a key-encryption key at {}
				* It seals the token signing keys and sits next to them: fine for a demo,
				* NOT for production. Production must supply its own: TETHER_AUTHZ_KEK or
				* tether.authz.kek-file, and a PostgreSQL database (spring.datasource.url).
				**************************************************************************************""",
				file.toAbsolutePath());
		return kek;
	}

	private static KeyEncryptionKey readFile(Path file) {
		try {
			// a read-only mount is a secret an orchestrator placed: its mode is not ours
			FileStore store = Files.getFileStore(file);
			if (store.supportsFileAttributeView("posix") && !store.isReadOnly()) {
				Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
				if (!AtomicFiles.OWNER_ONLY.containsAll(permissions)) {
					logger.warn("KEK file {} is readable by others ({}): chmod 600 it", file.toAbsolutePath(),
							PosixFilePermissions.toString(permissions));
				}
			}
			return parse(Files.readString(file, StandardCharsets.US_ASCII), "KEK file " + file.toAbsolutePath());
		}
		catch (IOException ex) {
			throw new IllegalStateException(
					"Cannot read the KEK file " + file.toAbsolutePath() + ": " + ex.getMessage(), ex);
		}
	}

	private static KeyEncryptionKey parse(String text, String source) {
		try {
			return KeyEncryptionKey.fromBase64(text);
		}
		catch (PkiException ex) {
			throw new IllegalStateException(source + " is not usable: " + ex.getMessage(), ex);
		}
	}

}
