package io.tether.workload.binding;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Calls resource servers with a DPoP-bound access token (RFC 9449). It gets the token
 * from the token endpoint with a proof of its key ({@link DpopProofSigner}), caches it
 * until 80% of its life, and sends each request with {@code Authorization: DPoP} and a
 * fresh proof ({@code htm}, {@code htu}, {@code ath}, new {@code jti}). Server nonces are
 * followed per origin: a {@code use_dpop_nonce} refusal (token endpoint {@code 400},
 * resource server {@code 401}) is retried once with the {@code DPoP-Nonce} it carried,
 * and every response's {@code DPoP-Nonce} is kept for the next proof. A {@code 401
 * invalid_token} is retried once with a fresh token. A token endpoint that answers with
 * another {@code token_type} than {@code DPoP} did not bind the token, and is an error.
 * <p>
 * The {@link HttpClient} is the caller's: for a client that authenticates with a Tether
 * certificate as well ({@code tls_client_auth}), one over that certificate. Thread-safe.
 */
public final class DpopTokenClient {

	/** Refresh when this much of the token's lifetime is left. */
	private static final double REFRESH_AT = 0.2;

	private record Token(String value, Instant refreshAt) {
	}

	private final URI tokenEndpoint;

	private final Map<String, String> tokenRequest;

	private final HttpClient http;

	private final DpopProofSigner signer;

	private final Clock clock;

	private final Map<String, String> nonces = new ConcurrentHashMap<>();

	private Token token;

	/**
	 * @param tokenEndpoint the authorization server's token endpoint
	 * @param tokenRequest the form parameters of the token request, such as
	 * {@code grant_type=client_credentials} and {@code scope}
	 * @param http the client that carries every request
	 * @param signer the key the tokens are bound to
	 * @param clock the time source of the token cache
	 */
	public DpopTokenClient(URI tokenEndpoint, Map<String, String> tokenRequest, HttpClient http, DpopProofSigner signer,
			Clock clock) {
		this.tokenEndpoint = Objects.requireNonNull(tokenEndpoint, "'tokenEndpoint' must not be null");
		this.tokenRequest = new LinkedHashMap<>(
				Objects.requireNonNull(tokenRequest, "'tokenRequest' must not be null"));
		this.http = Objects.requireNonNull(http, "'http' must not be null");
		this.signer = Objects.requireNonNull(signer, "'signer' must not be null");
		this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
	}

	/**
	 * Sends a request with the DPoP-bound token and a proof made for it.
	 * @param request the request; its {@code Authorization} and {@code DPoP} headers are
	 * set here
	 * @param handler the body handler
	 * @return the response (a refusal that survives the retries is returned as is)
	 * @throws IOException if the token endpoint or the resource server cannot be reached,
	 * or the token endpoint refuses
	 * @throws InterruptedException if interrupted
	 */
	public <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler)
			throws IOException, InterruptedException {
		boolean nonceRetried = false;
		boolean tokenRetried = false;
		while (true) {
			String accessToken = token();
			HttpRequest built = request.copy().build();
			String proof = this.signer.proof(built.method(), built.uri(), accessToken,
					this.nonces.get(origin(built.uri())));
			HttpResponse<T> response = this.http.send(
					request.copy().setHeader("Authorization", "DPoP " + accessToken).setHeader("DPoP", proof).build(),
					handler);
			boolean nonceChanged = remember(built.uri(), response.headers());
			if (response.statusCode() != 401) {
				return response;
			}
			String challenge = response.headers().allValues("WWW-Authenticate").toString();
			if (!nonceRetried && nonceChanged && challenge.contains("use_dpop_nonce")) {
				nonceRetried = true;
			}
			else if (!tokenRetried && challenge.contains("invalid_token")) {
				tokenRetried = true;
				invalidate(accessToken);
			}
			else {
				return response;
			}
			discard(response);
		}
	}

	/**
	 * The current DPoP-bound token, fetched if there is none or it is due.
	 * @return the compact access token
	 * @throws IOException if the token endpoint cannot be reached or refuses
	 * @throws InterruptedException if interrupted
	 */
	public String token() throws IOException, InterruptedException {
		synchronized (this) {
			if (this.token != null && this.clock.instant().isBefore(this.token.refreshAt())) {
				return this.token.value();
			}
		}
		Token fetched = fetch();
		synchronized (this) {
			this.token = fetched;
		}
		return fetched.value();
	}

	private synchronized void invalidate(String used) {
		if (this.token != null && this.token.value().equals(used)) {
			this.token = null;
		}
	}

	private Token fetch() throws IOException, InterruptedException {
		String form = this.tokenRequest.entrySet()
			.stream()
			.map((entry) -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		HttpResponse<String> response = null;
		for (int attempt = 0; attempt < 2; attempt++) {
			response = this.http.send(HttpRequest.newBuilder(this.tokenEndpoint)
				.timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("DPoP",
						this.signer.proof("POST", this.tokenEndpoint, null,
								this.nonces.get(origin(this.tokenEndpoint))))
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build(), HttpResponse.BodyHandlers.ofString());
			boolean nonceChanged = remember(this.tokenEndpoint, response.headers());
			if (!(response.statusCode() == 400 && nonceChanged && response.body().contains("use_dpop_nonce"))) {
				break;
			}
		}
		if (response.statusCode() != 200) {
			throw new IOException("The token endpoint " + this.tokenEndpoint + " answered " + response.statusCode()
					+ ": " + response.body());
		}
		try {
			Map<String, Object> body = JSONObjectUtils.parse(response.body());
			String value = JSONObjectUtils.getString(body, "access_token");
			if (value == null) {
				throw new IOException("The token endpoint's answer has no access_token");
			}
			String type = JSONObjectUtils.getString(body, "token_type");
			if (type == null || !type.toLowerCase(Locale.ROOT).equals("dpop")) {
				throw new IOException("The token endpoint did not bind the token to the DPoP key (token_type " + type
						+ ", not DPoP)");
			}
			Number expiresIn = (Number) body.getOrDefault("expires_in", 60);
			long lifetime = Math.max(1, expiresIn.longValue());
			Instant refreshAt = this.clock.instant().plusSeconds((long) Math.ceil(lifetime * (1 - REFRESH_AT)));
			return new Token(value, refreshAt);
		}
		catch (ParseException | ClassCastException ex) {
			throw new IOException("The token endpoint's answer is not a token response: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Keeps the origin's {@code DPoP-Nonce}, if the response has one.
	 * @return whether it is new
	 */
	private boolean remember(URI uri, HttpHeaders headers) {
		String nonce = headers.firstValue("DPoP-Nonce").orElse(null);
		if (nonce == null) {
			return false;
		}
		return !nonce.equals(this.nonces.put(origin(uri), nonce));
	}

	private static String origin(URI uri) {
		return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":"
				+ uri.getPort();
	}

	private static void discard(HttpResponse<?> response) throws IOException {
		if (response.body() instanceof AutoCloseable closeable) {
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

}
