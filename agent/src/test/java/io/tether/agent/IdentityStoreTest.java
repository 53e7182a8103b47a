package io.tether.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.tether.pki.Pem;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for {@link IdentityStore}: a re-enrollment interrupted at any point leaves a key
 * and a certificate that belong together, and used join tokens are remembered.
 */
class IdentityStoreTest {

	@TempDir
	Path dir;

	private final TestPki pki = TestPki.root().intermediate();

	@Test
	void aCrashAfterTheNewCertificateLoadsTheNewKey() throws IOException {
		IdentityStore store = new IdentityStore(this.dir);
		store.save(identity(this.pki.leaf("spiffe://td.example/agent/host-1")));
		IdentityStore.Identity next = identity(this.pki.leaf("spiffe://td.example/agent/host-1"));
		// what replace() has written when the process dies before the key takes its place
		Files.writeString(file("agent-key.next.pem"), Pem.write(next.key()));
		Files.writeString(file("agent-cert.pem"), Pem.write(next.chain()));

		IdentityStore.Identity loaded = store.load();

		assertThat(loaded.certificate()).isEqualTo(next.certificate());
		assertThat(loaded.key()).isEqualTo(next.key());
		assertThat(Pem.readPrivateKey(Files.readString(file("agent-key.pem")))).isEqualTo(next.key());
		assertThat(file("agent-key.next.pem")).doesNotExist();
	}

	@Test
	void aCrashBeforeTheNewCertificateKeepsTheOldIdentity() throws IOException {
		IdentityStore store = new IdentityStore(this.dir);
		IdentityStore.Identity old = identity(this.pki.leaf("spiffe://td.example/agent/host-1"));
		store.save(old);
		Files.writeString(file("agent-key.next.pem"),
				Pem.write(identity(this.pki.leaf("spiffe://td.example/agent/host-1")).key()));

		IdentityStore.Identity loaded = store.load();

		assertThat(loaded.certificate()).isEqualTo(old.certificate());
		assertThat(loaded.key()).isEqualTo(old.key());
	}

	@Test
	void replaceLeavesTheNewIdentityOnly() throws IOException {
		IdentityStore store = new IdentityStore(this.dir);
		store.save(identity(this.pki.leaf("spiffe://td.example/agent/host-1")));
		IdentityStore.Identity next = identity(this.pki.leaf("spiffe://td.example/agent/host-1"));

		store.replace(next);

		assertThat(store.load().certificate()).isEqualTo(next.certificate());
		assertThat(file("agent-key.next.pem")).doesNotExist();
	}

	@Test
	void aKeyThatMatchesNothingIsReported() throws IOException {
		IdentityStore store = new IdentityStore(this.dir);
		store.save(identity(this.pki.leaf("spiffe://td.example/agent/host-1")));
		Files.writeString(file("agent-key.pem"),
				Pem.write(identity(this.pki.leaf("spiffe://td.example/agent/host-1")).key()));

		assertThatIOException().isThrownBy(store::load).withMessageContaining("does not match agent-cert.pem");
	}

	@Test
	void usedTokensAreRememberedByTheirId() throws IOException {
		IdentityStore store = new IdentityStore(this.dir);
		assertThat(store.spent("first")).isFalse();
		store.spend("first");
		store.spend("second");
		store.spend("first");
		assertThat(store.spent("first")).isTrue();
		assertThat(store.spent("second")).isTrue();
		assertThat(Files.readAllLines(file("join-tokens-used"))).containsExactly("first", "second");
	}

	private Path file(String name) {
		return this.dir.resolve("identity").resolve(name);
	}

	private IdentityStore.Identity identity(TestPki.Issued issued) {
		return new IdentityStore.Identity(issued.keys().getPrivate(), issued.chain(),
				List.of(this.pki.rootCredential().certificate()), Instant.parse("2026-03-01T12:00:00Z"));
	}

}
