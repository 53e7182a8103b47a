package io.tether.workload.binding;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.tether.pki.TlsContexts;
import io.tether.workload.CredentialSource;
import io.tether.workload.X509Credentials;

/**
 * Calls resource servers with a certificate-bound access token, for workloads. It gets
 * the token from the authorization server's token endpoint with the workload's current
 * certificate ({@code client_credentials}, {@code tls_client_auth}), caches it, and gets
 * a new one before it expires and right after the agent rotates the certificate.
 * <p>
 * A token is bound to one certificate, so the token and the TLS connections that carry it
 * must present the same one: each certificate gets its own {@link HttpClient} (and so its
 * own connection pool), and a rotation switches both together. A {@code 401
 * invalid_token} is retried once with a fresh token. Thread-safe.
 */
public final class BoundTokenClient implements AutoCloseable {

	/** Refresh when this much of the token's lifetime is left. */
	private static final double REFRESH_AT = 0.2;

	private record Generation(X509Credentials credentials, HttpClient http) {
	}

	private record Token(String value, Instant refreshAt) {
	}

	private final URI tokenEndpoint;

	private final String scope;

	private final CredentialSource credentials;

	private final Clock clock;

	private Generation generation;

	private Token token;

	/**
	 * @param tokenEndpoint the authorization server's token endpoint
	 * @param scope the scopes to ask for (space-separated), or {@code null}
	 * @param credentials the workload's certificate, usually a
	 * {@link io.tether.workload.PemFileCredentialSource} over the agent's files
	 * @param clock the time source
	 */
	public BoundTokenClient(URI tokenEndpoint, String scope, CredentialSource credentials, Clock clock) {
		this.tokenEndpoint = Objects.requireNonNull(tokenEndpoint, "'tokenEndpoint' must not be null");
		this.scope = scope;
		this.credentials = Objects.requireNonNull(credentials, "'credentials' must not be null");
		this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
	}

	/**
	 * Sends a request with {@code Authorization: Bearer} and the certificate the token is
	 * bound to.
	 * @param request the request; its {@code Authorization} header is set here
	 * @param handler the body handler
	 * @return the response (a second {@code 401 invalid_token} is returned as is)
	 * @throws IOException if the token endpoint or the resource server cannot be reached,
	 * or the token endpoint refuses
	 * @throws InterruptedException if interrupted
	 */
	public <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler)
			throws IOException, InterruptedException {
		Generation current = generation();
		HttpResponse<T> response;
		try {
			response = current.http()
				.send(request.setHeader("Authorization", "Bearer " + token(current)).build(), handler);
		}
		catch (IOException ex) {
			if (isCurrent(current)) {
				throw ex;
			}
			// the certificate rotated while this call was on its way: its client is
			// closing
			response = null;
		}
		if (response == null || (response.statusCode() == 401 && response.headers()
			.firstValue("WWW-Authenticate")
			.filter((value) -> value.contains("invalid_token"))
			.isPresent())) {
			discard(response);
			invalidate(current);
			current = generation();
			response = current.http()
				.send(request.setHeader("Authorization", "Bearer " + token(current)).build(), handler);
		}
		return response;
	}

	private synchronized boolean isCurrent(Generation generation) {
		return this.generation == generation && generation.credentials() == this.credentials.current();
	}

	/**
	 * A body the caller never sees is closed, so that its connection is not left open.
	 */
	private static void discard(HttpResponse<?> response) throws IOException {
		if (response != null && response.body() instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (IOException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new IOException(ex);
			}
		}
	}

	/**
	 * The token for the current certificate, fetched if there is none or it is due.
	 * @return the compact JWT
	 * @throws IOException if the token endpoint cannot be reached or refuses
	 * @throws InterruptedException if interrupted
	 */
	public String token() throws IOException, InterruptedException {
		return token(generation());
	}

	private synchronized Generation generation() {
		X509Credentials current = this.credentials.current();
		if (this.generation == null || this.generation.credentials() != current) {
			Generation previous = this.generation;
			this.generation = new Generation(current,
					HttpClient.newBuilder()
						.sslContext(TlsContexts.mutual(current.privateKey(), current.chain(), current.bundle()))
						.connectTimeout(Duration.ofSeconds(5))
						.build());
			this.token = null;
			if (previous != null) {
				// requests in flight on the old certificate finish; no new ones start
				previous.http().shutdown();
			}
		}
		return this.generation;
	}

	private synchronized void invalidate(Generation used) {
		if (this.generation == used) {
			this.token = null;
		}
	}

	private String token(Generation used) throws IOException, InterruptedException {
		synchronized (this) {
			if (this.generation == used && this.token != null
					&& this.clock.instant().isBefore(this.token.refreshAt())) {
				return this.token.value();
			}
		}
		Token fetched = fetch(used);
		synchronized (this) {
			if (this.generation == used) {
				this.token = fetched;
			}
		}
		return fetched.value();
	}

	private Token fetch(Generation used) throws IOException, InterruptedException {
		String form = "grant_type=client_credentials"
				+ ((this.scope != null) ? "&scope=" + URLEncoder.encode(this.scope, StandardCharsets.UTF_8) : "");
		HttpResponse<String> response = used.http()
			.send(HttpRequest.newBuilder(this.tokenEndpoint)
				.timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException("The token endpoint " + this.tokenEndpoint + " answered " + response.statusCode()
					+ ": " + response.body());
		}
		try {
			Map<String, Object> body = JSONObjectUtils.parse(response.body());
			String value = JSONObjectUtils.getString(body, "access_token");
			Number expiresIn = (Number) body.getOrDefault("expires_in", 60);
			if (value == null) {
				throw new IOException("The token endpoint's answer has no access_token");
			}
			long lifetime = Math.max(1, expiresIn.longValue());
			Instant refreshAt = this.clock.instant().plusSeconds((long) Math.ceil(lifetime * (1 - REFRESH_AT)));
			return new Token(value, refreshAt);
		}
		catch (ParseException | ClassCastException ex) {
			throw new IOException("The token endpoint's answer is not a token response: " + ex.getMessage(), ex);
		}
	}

	@Override
	public synchronized void close() {
		if (this.generation != null) {
			this.generation.http().close();
		}
	}

}
