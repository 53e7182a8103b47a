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
import io.tether.pki.KeyType;
import io.tether.pki.Pem;

/**
 * The agent's own identity in its data directory: {@code agent-key.pem} (0600),
 * {@code agent-cert.pem} (chain) and {@code bundle.pem}, and the ids of the join tokens
 * it sent ({@code join-tokens-used}). Present means enrolled: a restarted agent uses them
 * and needs a join token again only when it cannot come back with its key
 * ({@link Comeback}).
 */
final class IdentityStore {

	private static final String NEXT_KEY = "agent-key.next.pem";

	private static final String SPENT_TOKENS = "join-tokens-used";

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

	/**
	 * Loads the identity. A key that does not match the certificate is what a crash in
	 * the middle of {@link #replace} leaves: the certificate is already the new one, and
	 * so is the key in {@code agent-key.next.pem}; the swap is finished here.
	 * @throws IOException if a file cannot be read, or no key matches the certificate
	 */
	Identity load() throws IOException {
		List<X509Certificate> chain = Pem.readCertificates(Files.readString(this.directory.resolve("agent-cert.pem")));
		Path received = this.directory.resolve("received-at");
		Instant receivedAt = Files.exists(received) ? Instant.parse(Files.readString(received).strip())
				: chain.get(0).getNotBefore().toInstant();
		PrivateKey key = Pem.readPrivateKey(Files.readString(this.directory.resolve("agent-key.pem")));
		Path next = this.directory.resolve(NEXT_KEY);
		if (!KeyType.matches(key, chain.get(0).getPublicKey())) {
			PrivateKey nextKey = Files.exists(next) ? Pem.readPrivateKey(Files.readString(next)) : null;
			if (nextKey == null || !KeyType.matches(nextKey, chain.get(0).getPublicKey())) {
				throw new IOException("agent-key.pem in " + this.directory + " does not match agent-cert.pem");
			}
			key = nextKey;
			AtomicFiles.write(this.directory.resolve("agent-key.pem"), ascii(Pem.write(key)), AtomicFiles.OWNER_ONLY);
		}
		Files.deleteIfExists(next);
		return new Identity(key, chain, Pem.readCertificates(Files.readString(this.directory.resolve("bundle.pem"))),
				receivedAt);
	}

	/**
	 * Replaces a held identity with one of another key (a re-enrollment) so that a crash
	 * at any point leaves a key and a certificate that belong together: the new key goes
	 * to {@code agent-key.next.pem} first, then the certificate, then the key takes its
	 * place; {@link #load} finishes a swap a crash interrupted. The old key is
	 * overwritten only once the new certificate is on disk.
	 */
	void replace(Identity identity) throws IOException {
		Files.createDirectories(this.directory);
		Path next = this.directory.resolve(NEXT_KEY);
		AtomicFiles.write(next, ascii(Pem.write(identity.key())), AtomicFiles.OWNER_ONLY);
		AtomicFiles.write(this.directory.resolve("bundle.pem"), ascii(Pem.write(identity.bundle())),
				AtomicFiles.PUBLIC_READ);
		AtomicFiles.write(this.directory.resolve("received-at"), ascii(identity.receivedAt().toString()),
				AtomicFiles.PUBLIC_READ);
		AtomicFiles.write(this.directory.resolve("agent-cert.pem"), ascii(Pem.write(identity.chain())),
				AtomicFiles.PUBLIC_READ);
		AtomicFiles.write(this.directory.resolve("agent-key.pem"), ascii(Pem.write(identity.key())),
				AtomicFiles.OWNER_ONLY);
		Files.deleteIfExists(next);
	}

	/**
	 * Whether a join token (by its id, never its secret) was already sent to the server:
	 * a token is good for one enrollment, so an agent waiting for a new one does not try
	 * the one it used again.
	 */
	boolean spent(String tokenId) throws IOException {
		Path spent = this.directory.resolve(SPENT_TOKENS);
		return Files.exists(spent) && Files.readAllLines(spent, StandardCharsets.US_ASCII).contains(tokenId);
	}

	/** Notes that a join token was used, or refused. */
	void spend(String tokenId) throws IOException {
		if (spent(tokenId)) {
			return;
		}
		Files.createDirectories(this.directory);
		Path spent = this.directory.resolve(SPENT_TOKENS);
		String before = Files.exists(spent) ? Files.readString(spent, StandardCharsets.US_ASCII) : "";
		AtomicFiles.write(spent, ascii(before + tokenId + "\n"), AtomicFiles.PUBLIC_READ);
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
