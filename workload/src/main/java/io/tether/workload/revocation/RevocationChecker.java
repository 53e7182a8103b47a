package io.tether.workload.revocation;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Answers whether a validated peer certificate is revoked, by OCSP or CRL as
 * {@link RevocationChecking} says, and {@link #enforce enforces} its {@link FailMode}.
 * <p>
 * Answers are cached per (issuer key id, serial) until their {@code nextUpdate}, at most
 * the max age, so steady traffic with a peer asks once per max age, not once per
 * handshake; handshakes that need the same answer at the same time share one request.
 * When the authority cannot be asked, an earlier answer it still vouches for (before its
 * {@code nextUpdate}) is used in either fail mode: it is a verified answer, only older.
 * An authority that could not be asked is left alone for the retry pause, so that its
 * peers get the fail mode at once instead of each handshake waiting out the timeouts.
 * <p>
 * Thread-safe.
 */
public final class RevocationChecker {

	private static final Logger logger = Logger.getLogger(RevocationChecker.class.getName());

	/** How often the same authority's trouble is logged as a warning. */
	static final Duration WARNING_PERIOD = Duration.ofMinutes(1);

	private final RevocationChecking settings;

	private final StatusSource source;

	private final StatusCache cache;

	private final Map<StatusCache.Key, CompletableFuture<StatusAnswer>> inFlight = new ConcurrentHashMap<>();

	private final Map<String, Failure> failures = new ConcurrentHashMap<>();

	private final Map<String, Instant> warned = new ConcurrentHashMap<>();

	private record Failure(RevocationUnavailableException cause, Instant retryAt) {
	}

	RevocationChecker(RevocationChecking settings) {
		this(settings, source(settings));
	}

	RevocationChecker(RevocationChecking settings, StatusSource source) {
		this.settings = settings;
		this.source = source;
		this.cache = new StatusCache(settings.cacheSize());
	}

	private static StatusSource source(RevocationChecking settings) {
		RevocationHttp http = new RevocationHttp(settings.connectTimeout(), settings.readTimeout());
		return switch (settings.method()) {
			case OCSP -> new OcspStatusSource(settings.baseUri(), http,
					new OcspResponseVerifier(settings.clock(), settings.clockSkew()));
			case CRL -> new CrlStatusSource(settings.baseUri(), http, settings.clock(), settings.clockSkew(),
					settings.maxAge());
		};
	}

	/**
	 * The settings this checker runs with.
	 * @return the settings
	 */
	public RevocationChecking settings() {
		return this.settings;
	}

	/**
	 * Answers whether a certificate is revoked, from the cache or by asking its issuer's
	 * authority. May block for up to about the connect plus read timeout.
	 * @param certificate the certificate, already validated
	 * @param issuer the certificate that issued it, already validated
	 * @return the verified status
	 * @throws RevocationUnavailableException if no verified answer can be had
	 */
	public RevocationStatus check(X509Certificate certificate, X509Certificate issuer)
			throws RevocationUnavailableException {
		return answer(certificate, issuer, IssuerKeyIds.of(certificate, issuer)).status();
	}

	/**
	 * Checks a certificate and applies the fail mode: returns when the peer may be
	 * accepted, throws when it must be refused. A verified revocation is always refused;
	 * an unknown certificate, or no verified answer, is refused in
	 * {@link FailMode#FAIL_CLOSED} and accepted with a warning (at most one a minute per
	 * authority) in {@link FailMode#FAIL_OPEN}.
	 * @param certificate the certificate, already validated
	 * @param issuer the certificate that issued it, already validated
	 * @throws RevokedCertificateException if the certificate is revoked
	 * @throws CertificateException if fail-closed and the status is unknown or cannot be
	 * had
	 */
	public void enforce(X509Certificate certificate, X509Certificate issuer) throws CertificateException {
		String keyId = IssuerKeyIds.of(certificate, issuer);
		String serial = certificate.getSerialNumber().toString(16);
		boolean closed = this.settings.failMode() == FailMode.FAIL_CLOSED;
		RevocationStatus status;
		try {
			status = answer(certificate, issuer, keyId).status();
		}
		catch (RevocationUnavailableException ex) {
			if (closed) {
				throw new CertificateException("Revocation status of certificate serial " + serial
						+ " cannot be had, and revocation checking fails closed: " + ex.getMessage(), ex);
			}
			warn(keyId, "Accepting certificate serial " + serial
					+ " without a revocation answer (revocation checking fails open): " + ex.getMessage());
			return;
		}
		if (status instanceof RevocationStatus.Revoked revoked) {
			throw new RevokedCertificateException(certificate, issuer, revoked);
		}
		if (status instanceof RevocationStatus.Unknown) {
			String problem = "Certificate serial " + serial + " is unknown to its issuer's revocation service ("
					+ issuer.getSubjectX500Principal().getName() + ")";
			if (closed) {
				throw new CertificateException(problem + "; revocation checking fails closed");
			}
			warn(keyId, problem + "; accepting it (revocation checking fails open)");
		}
	}

	private StatusAnswer answer(X509Certificate certificate, X509Certificate issuer, String keyId)
			throws RevocationUnavailableException {
		StatusCache.Key key = new StatusCache.Key(keyId, certificate.getSerialNumber());
		Instant now = this.settings.clock().instant();
		StatusCache.Cached cached = this.cache.get(key);
		if (cached != null && now.isBefore(cached.refreshAt())) {
			return cached.answer();
		}
		Failure failure = this.failures.get(keyId);
		if (failure != null && now.isBefore(failure.retryAt())) {
			return fallback(cached, now, failure.cause());
		}
		try {
			StatusAnswer answer = fetchOnce(key, certificate, issuer);
			this.failures.remove(keyId);
			this.cache.put(key, new StatusCache.Cached(answer, refreshAt(answer, this.settings.clock().instant())));
			return answer;
		}
		catch (RevocationUnavailableException ex) {
			this.failures.put(keyId, new Failure(ex, now.plus(this.settings.retryAfterFailure())));
			return fallback(cached, now, ex);
		}
	}

	private static StatusAnswer fallback(StatusCache.Cached cached, Instant now, RevocationUnavailableException cause)
			throws RevocationUnavailableException {
		if (cached != null && cached.answer().validAt(now)) {
			return cached.answer();
		}
		throw cause;
	}

	private Instant refreshAt(StatusAnswer answer, Instant now) {
		Instant refreshAt = now.plus(this.settings.maxAge());
		if (answer.nextUpdate() != null && answer.nextUpdate().isBefore(refreshAt)) {
			refreshAt = answer.nextUpdate();
		}
		if (answer.refreshBy() != null && answer.refreshBy().isBefore(refreshAt)) {
			refreshAt = answer.refreshBy();
		}
		return refreshAt;
	}

	private StatusAnswer fetchOnce(StatusCache.Key key, X509Certificate certificate, X509Certificate issuer)
			throws RevocationUnavailableException {
		CompletableFuture<StatusAnswer> mine = new CompletableFuture<>();
		CompletableFuture<StatusAnswer> running = this.inFlight.putIfAbsent(key, mine);
		if (running != null) {
			try {
				return running.join();
			}
			catch (CompletionException ex) {
				if (ex.getCause() instanceof RevocationUnavailableException unavailable) {
					throw unavailable;
				}
				throw ex;
			}
		}
		try {
			StatusAnswer answer = this.source.fetch(certificate, issuer, key.issuerKeyId());
			mine.complete(answer);
			return answer;
		}
		catch (RevocationUnavailableException | RuntimeException ex) {
			mine.completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.inFlight.remove(key, mine);
		}
	}

	private void warn(String issuerKeyId, String message) {
		Instant now = this.settings.clock().instant();
		Instant last = this.warned.get(issuerKeyId);
		if (last != null && now.isBefore(last.plus(WARNING_PERIOD))) {
			return;
		}
		boolean first = (last == null) ? this.warned.putIfAbsent(issuerKeyId, now) == null
				: this.warned.replace(issuerKeyId, last, now);
		if (first) {
			logger.warning(message + " (logged at most once a minute for authority key " + issuerKeyId + ")");
		}
	}

	int cachedAnswers() {
		return this.cache.size();
	}

}
