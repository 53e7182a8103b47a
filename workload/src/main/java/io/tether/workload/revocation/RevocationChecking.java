package io.tether.workload.revocation;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a workload checks its peers' certificates for revocation: by OCSP or by CRL,
 * against the Tether CA's revocation base URL, with which {@link FailMode}, timeouts and
 * cache bounds. Immutable: each {@code with} method returns a changed copy. <pre>
 * SSLContext context = TetherSsl.context(source,
 * 		RevocationChecking.ocsp(URI.create("http://ca.example:8480")).failClosed());
 * </pre> Tether's leaves carry no OCSP URL or CRL distribution point, so the base URL is
 * configured here: OCSP requests go to {@code <base>/ocsp}, CRLs come from
 * {@code <base>/crl/<issuer key id>.crl}.
 * <p>
 * Defaults: {@link FailMode#FAIL_OPEN} (see there for the trade-off: Tether's
 * certificates live hours, and a CA outage must not stop service-to-service traffic),
 * connect and read timeouts of 2 s, answers cached until their {@code nextUpdate} but at
 * most 5 minutes (so a revocation reaches a busy workload within 5 minutes), at most
 * 10,000 cached answers, and 10 s before an authority that failed is asked again.
 * <p>
 * Thread-safe.
 */
public final class RevocationChecking {

	/** The default connect and read timeout. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

	/** The default longest time an answer is used before asking again. */
	public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

	/** The default largest number of cached answers. */
	public static final int DEFAULT_CACHE_SIZE = 10_000;

	/** The default wait before an authority that failed is asked again. */
	public static final Duration DEFAULT_RETRY_AFTER_FAILURE = Duration.ofSeconds(10);

	/** The default clock skew allowed on {@code thisUpdate} and {@code nextUpdate}. */
	public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);

	/**
	 * The ways to ask.
	 */
	public enum Method {

		/** RFC 6960 OCSP, POST to {@code <base>/ocsp}, SHA-1 CertID, no nonce. */
		OCSP,

		/** RFC 5280 CRL from {@code <base>/crl/<issuer key id>.crl}, one per issuer. */
		CRL

	}

	private final Method method;

	private final URI baseUri;

	private final FailMode failMode;

	private final Duration connectTimeout;

	private final Duration readTimeout;

	private final Duration maxAge;

	private final int cacheSize;

	private final Duration retryAfterFailure;

	private final Duration clockSkew;

	private final Clock clock;

	private RevocationChecking(Method method, URI baseUri, FailMode failMode, Duration connectTimeout,
			Duration readTimeout, Duration maxAge, int cacheSize, Duration retryAfterFailure, Duration clockSkew,
			Clock clock) {
		this.method = method;
		this.baseUri = baseUri;
		this.failMode = failMode;
		this.connectTimeout = connectTimeout;
		this.readTimeout = readTimeout;
		this.maxAge = maxAge;
		this.cacheSize = cacheSize;
		this.retryAfterFailure = retryAfterFailure;
		this.clockSkew = clockSkew;
		this.clock = clock;
	}

	/**
	 * Checks by OCSP, the default way: one small signed answer per certificate.
	 * @param baseUri the CA's revocation base URL, such as {@code http://ca.example:8480}
	 * @return the settings, with the defaults
	 * @throws NullPointerException if {@code baseUri} is {@code null}
	 * @throws IllegalArgumentException if {@code baseUri} is not http or https
	 */
	public static RevocationChecking ocsp(URI baseUri) {
		return of(Method.OCSP, baseUri);
	}

	/**
	 * Checks by CRL: one list per issuing authority, fetched once and shared by all of
	 * its certificates until its {@code nextUpdate} (or the max age).
	 * @param baseUri the CA's revocation base URL, such as {@code http://ca.example:8480}
	 * @return the settings, with the defaults
	 * @throws NullPointerException if {@code baseUri} is {@code null}
	 * @throws IllegalArgumentException if {@code baseUri} is not http or https
	 */
	public static RevocationChecking crl(URI baseUri) {
		return of(Method.CRL, baseUri);
	}

	private static RevocationChecking of(Method method, URI baseUri) {
		Objects.requireNonNull(baseUri, "'baseUri' must not be null");
		if (!"http".equals(baseUri.getScheme()) && !"https".equals(baseUri.getScheme())) {
			throw new IllegalArgumentException("'baseUri' must be an http or https URL");
		}
		return new RevocationChecking(method, baseUri, FailMode.FAIL_OPEN, DEFAULT_TIMEOUT, DEFAULT_TIMEOUT,
				DEFAULT_MAX_AGE, DEFAULT_CACHE_SIZE, DEFAULT_RETRY_AFTER_FAILURE, DEFAULT_CLOCK_SKEW,
				Clock.systemUTC());
	}

	/**
	 * Refuses peers when no verified answer can be had ({@link FailMode#FAIL_CLOSED}).
	 * @return changed settings
	 */
	public RevocationChecking failClosed() {
		return withFailMode(FailMode.FAIL_CLOSED);
	}

	/**
	 * Accepts peers when no verified answer can be had ({@link FailMode#FAIL_OPEN}, the
	 * default).
	 * @return changed settings
	 */
	public RevocationChecking failOpen() {
		return withFailMode(FailMode.FAIL_OPEN);
	}

	/**
	 * Sets the fail mode.
	 * @param failMode the fail mode
	 * @return changed settings
	 * @throws NullPointerException if {@code failMode} is {@code null}
	 */
	public RevocationChecking withFailMode(FailMode failMode) {
		Objects.requireNonNull(failMode, "'failMode' must not be null");
		return new RevocationChecking(this.method, this.baseUri, failMode, this.connectTimeout, this.readTimeout,
				this.maxAge, this.cacheSize, this.retryAfterFailure, this.clockSkew, this.clock);
	}

	/**
	 * Sets the connect and read timeouts; a handshake waits at most about their sum for
	 * an answer it does not have cached.
	 * @param connectTimeout how long to wait for a connection
	 * @param readTimeout how long to wait for the whole response once asked
	 * @return changed settings
	 * @throws IllegalArgumentException if a timeout is not positive
	 */
	public RevocationChecking withTimeouts(Duration connectTimeout, Duration readTimeout) {
		return new RevocationChecking(this.method, this.baseUri, this.failMode,
				positive(connectTimeout, "connectTimeout"), positive(readTimeout, "readTimeout"), this.maxAge,
				this.cacheSize, this.retryAfterFailure, this.clockSkew, this.clock);
	}

	/**
	 * Sets the longest time an answer is used before the authority is asked again, even
	 * when its {@code nextUpdate} is later: how long a revocation may take to reach a
	 * workload with a warm cache.
	 * @param maxAge the longest use of one answer
	 * @return changed settings
	 * @throws IllegalArgumentException if {@code maxAge} is not positive
	 */
	public RevocationChecking withMaxAge(Duration maxAge) {
		return new RevocationChecking(this.method, this.baseUri, this.failMode, this.connectTimeout, this.readTimeout,
				positive(maxAge, "maxAge"), this.cacheSize, this.retryAfterFailure, this.clockSkew, this.clock);
	}

	/**
	 * Sets the largest number of cached answers; the least recently used go first.
	 * @param cacheSize at least 1
	 * @return changed settings
	 * @throws IllegalArgumentException if {@code cacheSize} is less than 1
	 */
	public RevocationChecking withCacheSize(int cacheSize) {
		if (cacheSize < 1) {
			throw new IllegalArgumentException("'cacheSize' must be at least 1");
		}
		return new RevocationChecking(this.method, this.baseUri, this.failMode, this.connectTimeout, this.readTimeout,
				this.maxAge, cacheSize, this.retryAfterFailure, this.clockSkew, this.clock);
	}

	/**
	 * Sets how long an authority that could not be asked is left alone: meanwhile its
	 * certificates get the fail mode at once instead of each handshake waiting out the
	 * timeouts.
	 * @param retryAfterFailure the pause; zero asks again at every handshake
	 * @return changed settings
	 * @throws IllegalArgumentException if {@code retryAfterFailure} is negative
	 */
	public RevocationChecking withRetryAfterFailure(Duration retryAfterFailure) {
		Objects.requireNonNull(retryAfterFailure, "'retryAfterFailure' must not be null");
		if (retryAfterFailure.isNegative()) {
			throw new IllegalArgumentException("'retryAfterFailure' must not be negative");
		}
		return new RevocationChecking(this.method, this.baseUri, this.failMode, this.connectTimeout, this.readTimeout,
				this.maxAge, this.cacheSize, retryAfterFailure, this.clockSkew, this.clock);
	}

	/**
	 * Sets the clock that judges {@code thisUpdate}, {@code nextUpdate} and cache ages.
	 * @param clock the clock
	 * @return changed settings
	 * @throws NullPointerException if {@code clock} is {@code null}
	 */
	public RevocationChecking withClock(Clock clock) {
		Objects.requireNonNull(clock, "'clock' must not be null");
		return new RevocationChecking(this.method, this.baseUri, this.failMode, this.connectTimeout, this.readTimeout,
				this.maxAge, this.cacheSize, this.retryAfterFailure, this.clockSkew, clock);
	}

	private static Duration positive(Duration duration, String name) {
		Objects.requireNonNull(duration, "'" + name + "' must not be null");
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("'" + name + "' must be positive");
		}
		return duration;
	}

	/**
	 * Builds a checker with these settings: its own HTTP client and caches.
	 * @return a new checker
	 */
	public RevocationChecker newChecker() {
		return new RevocationChecker(this);
	}

	/**
	 * The way to ask.
	 * @return OCSP or CRL
	 */
	public Method method() {
		return this.method;
	}

	/**
	 * The CA's revocation base URL.
	 * @return the URL
	 */
	public URI baseUri() {
		return this.baseUri;
	}

	/**
	 * The fail mode.
	 * @return the fail mode
	 */
	public FailMode failMode() {
		return this.failMode;
	}

	/**
	 * The connect timeout.
	 * @return the timeout
	 */
	public Duration connectTimeout() {
		return this.connectTimeout;
	}

	/**
	 * The read timeout.
	 * @return the timeout
	 */
	public Duration readTimeout() {
		return this.readTimeout;
	}

	/**
	 * The longest use of one answer.
	 * @return the max age
	 */
	public Duration maxAge() {
		return this.maxAge;
	}

	/**
	 * The largest number of cached answers.
	 * @return the size
	 */
	public int cacheSize() {
		return this.cacheSize;
	}

	/**
	 * The pause after an authority could not be asked.
	 * @return the pause
	 */
	public Duration retryAfterFailure() {
		return this.retryAfterFailure;
	}

	/**
	 * The clock skew allowed on {@code thisUpdate} and {@code nextUpdate}.
	 * @return the skew
	 */
	public Duration clockSkew() {
		return this.clockSkew;
	}

	/**
	 * The clock.
	 * @return the clock
	 */
	public Clock clock() {
		return this.clock;
	}

	@Override
	public String toString() {
		return "RevocationChecking[" + this.method + " " + this.baseUri + ", " + this.failMode + "]";
	}

}
