package io.tether.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import io.tether.pki.AtomicFiles;
import io.tether.pki.Pem;

/**
 * The agent's own identity in its data directory: {@code agent-key.pem} (0600),
 * {@code agent-cert.pem} (chain) and {@code bundle.pem}. Present means enrolled: a
 * restarted agent uses them and never needs its join token again.
 */
final class IdentityStore {

	private final Path directory;

	IdentityStore(Path dataDir) {
		this.directory = dataDir.resolve("identity");
	}

	record Identity(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> bundle, Instant receivedAt) {

		X509Certificate certificate() {
			return this.chain.get(0);
		}

	}

	boolean exists() {
		return Files.exists(this.directory.resolve("agent-cert.pem"))
				&& Files.exists(this.directory.resolve("agent-key.pem"));
	}

	Identity load() throws IOException {
		List<X509Certificate> chain = Pem.readCertificates(Files.readString(this.directory.resolve("agent-cert.pem")));
		Path received = this.directory.resolve("received-at");
		Instant receivedAt = Files.exists(received) ? Instant.parse(Files.readString(received).strip())
				: chain.get(0).getNotBefore().toInstant();
		return new Identity(Pem.readPrivateKey(Files.readString(this.directory.resolve("agent-key.pem"))), chain,
				Pem.readCertificates(Files.readString(this.directory.resolve("bundle.pem"))), receivedAt);
	}

	/**
	 * Saves a new identity: bundle, then key, then certificate, each atomically; the
	 * certificate last, because its presence is what says "enrolled".
	 */
	void save(Identity identity) throws IOException {
		Files.createDirectories(this.directory);
		AtomicFiles.write(this.directory.resolve("bundle.pem"), ascii(Pem.write(identity.bundle())),
				AtomicFiles.PUBLIC_READ);
		AtomicFiles.write(this.directory.resolve("agent-key.pem"), ascii(Pem.write(identity.key())),
				AtomicFiles.OWNER_ONLY);
		AtomicFiles.write(this.directory.resolve("received-at"), ascii(identity.receivedAt().toString()),
				AtomicFiles.PUBLIC_READ);
		AtomicFiles.write(this.directory.resolve("agent-cert.pem"), ascii(Pem.write(identity.chain())),
				AtomicFiles.PUBLIC_READ);
	}

	/**
	 * Replaces the roots the agent trusts for its connection to the server.
	 */
	void saveBundle(List<X509Certificate> bundle) throws IOException {
		AtomicFiles.write(this.directory.resolve("bundle.pem"), ascii(Pem.write(bundle)), AtomicFiles.PUBLIC_READ);
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
