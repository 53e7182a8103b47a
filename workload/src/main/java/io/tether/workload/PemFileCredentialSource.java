package io.tether.workload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.tether.pki.KeyType;
import io.tether.pki.Pem;

/**
 * Credentials read from the PEM files a Tether agent writes (chain, key, bundle), kept
 * current by a {@link FileWatcher}. A reload builds a complete new snapshot, checks that
 * the key matches the leaf, and only then swaps it in with one volatile write; a reload
 * that fails (a half-copied file, a key of another certificate) is logged and the last
 * good snapshot stays. {@link #subscribe subscribers} hear of each new snapshot once it
 * is current.
 * <p>
 * Thread-safe: readers never lock; reloads (and the listener calls that follow them) run
 * one at a time.
 */
public final class PemFileCredentialSource implements CredentialSource, AutoCloseable {

	private static final Logger logger = Logger.getLogger(PemFileCredentialSource.class.getName());

	/** The default quiet period after file changes before a reload. */
	public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofMillis(100);

	private final Path chainFile;

	private final Path keyFile;

	private final Path bundleFile;

	private final FileWatcher watcher;

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	private volatile X509Credentials current;

	/**
	 * One subscription; compared by identity, so that closing it removes this one even
	 * when the same consumer subscribed twice.
	 */
	private static final class Listener {

		private final Consumer<X509Credentials> consumer;

		Listener(Consumer<X509Credentials> consumer) {
			this.consumer = consumer;
		}

	}

	private PemFileCredentialSource(Path chainFile, Path keyFile, Path bundleFile, Duration quietPeriod) {
		this.chainFile = chainFile;
		this.keyFile = keyFile;
		this.bundleFile = bundleFile;
		this.current = load();
		this.watcher = new FileWatcher(Set.of(chainFile, keyFile, bundleFile), quietPeriod, this::reload);
	}

	/**
	 * Loads the files and starts watching them.
	 * @param chainFile PEM chain, leaf first
	 * @param keyFile PEM private key
	 * @param bundleFile PEM trust bundle
	 * @return the source, already holding the credentials
	 * @throws IllegalStateException if the files cannot be loaded at start
	 */
	public static PemFileCredentialSource watch(Path chainFile, Path keyFile, Path bundleFile) {
		return new PemFileCredentialSource(chainFile, keyFile, bundleFile, DEFAULT_QUIET_PERIOD);
	}

	@Override
	public X509Credentials current() {
		return this.current;
	}

	@Override
	public Subscription subscribe(Consumer<X509Credentials> listener) {
		Listener subscribed = new Listener(Objects.requireNonNull(listener, "'listener' must not be null"));
		this.listeners.add(subscribed);
		return () -> this.listeners.remove(subscribed);
	}

	/**
	 * Loads the files again now; called by the watcher, and usable by a workload that
	 * learns of a change another way (a signal, say). When the credentials changed, the
	 * subscribers are called before this returns.
	 * @return {@code true} if new credentials are now current
	 */
	public synchronized boolean reload() {
		X509Credentials loaded;
		try {
			loaded = load();
		}
		catch (RuntimeException ex) {
			logger.log(Level.WARNING,
					"Cannot load new credentials from " + this.chainFile + ", " + this.keyFile + " and "
							+ this.bundleFile + " (" + ex.getMessage() + "); keeping serial "
							+ this.current.leaf().getSerialNumber().toString(16),
					ex);
			return false;
		}
		if (loaded.leaf().equals(this.current.leaf()) && loaded.bundle().equals(this.current.bundle())) {
			return false;
		}
		this.current = loaded;
		logger.info(() -> "Loaded new credentials: serial " + loaded.leaf().getSerialNumber().toString(16)
				+ ", valid until " + loaded.leaf().getNotAfter().toInstant() + ", " + loaded.bundle().size()
				+ " certificate(s) in the bundle");
		notifyListeners(loaded);
		return true;
	}

	private void notifyListeners(X509Credentials loaded) {
		for (Listener listener : this.listeners) {
			try {
				listener.consumer.accept(loaded);
			}
			catch (RuntimeException ex) {
				// the snapshot is current already; one listener's failure is its own
				logger.log(Level.WARNING, "A credentials listener failed on serial "
						+ loaded.leaf().getSerialNumber().toString(16) + ": " + ex.getMessage(), ex);
			}
		}
	}

	private X509Credentials load() {
		try {
			List<X509Certificate> chain = Pem.readCertificates(Files.readString(this.chainFile));
			PrivateKey key = Pem.readPrivateKey(Files.readString(this.keyFile));
			List<X509Certificate> bundle = Pem.readCertificates(Files.readString(this.bundleFile));
			X509Credentials credentials = new X509Credentials(key, chain, bundle);
			checkKeyMatches(credentials);
			return credentials;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read credentials: " + ex.getMessage(), ex);
		}
	}

	private static void checkKeyMatches(X509Credentials credentials) {
		if (!KeyType.matches(credentials.privateKey(), credentials.leaf().getPublicKey())) {
			throw new IllegalStateException("the private key does not match the certificate");
		}
	}

	/**
	 * Stops watching; subscribers are not called again.
	 */
	@Override
	public void close() {
		this.watcher.close();
		this.listeners.clear();
	}

}
