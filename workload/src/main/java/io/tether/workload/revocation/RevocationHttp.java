package io.tether.workload.revocation;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Fetches OCSP responses and CRLs over HTTP with a connect timeout and a timeout for the
 * response headers, refusing bodies larger than {@link #MAX_BODY} that say so up front.
 * <p>
 * Thread-safe.
 */
final class RevocationHttp {

	/** The largest body taken: a CRL of about 200,000 entries. */
	static final int MAX_BODY = 8 * 1024 * 1024;

	private final HttpClient client;

	private final Duration readTimeout;

	RevocationHttp(Duration connectTimeout, Duration readTimeout) {
		this.client = HttpClient.newBuilder()
			.connectTimeout(connectTimeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		this.readTimeout = readTimeout;
	}

	byte[] post(URI uri, String contentType, byte[] body, String accept) throws RevocationUnavailableException {
		return send(HttpRequest.newBuilder(uri)
			.header("Content-Type", contentType)
			.header("Accept", accept)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.timeout(this.readTimeout)
			.build());
	}

	byte[] get(URI uri, String accept) throws RevocationUnavailableException {
		return send(HttpRequest.newBuilder(uri).header("Accept", accept).GET().timeout(this.readTimeout).build());
	}

	private byte[] send(HttpRequest request) throws RevocationUnavailableException {
		// send(), not sendAsync(): the latter completes its future through the common
		// fork-join pool, which stalls when that pool's few threads are the ones doing
		// handshakes (measured: every check timed out on a 2-core machine). The request
		// timeout runs until the response headers; the body is small and bounded.
		HttpResponse<byte[]> response;
		try {
			response = this.client.send(request, RevocationHttp::boundedBody);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RevocationUnavailableException("Interrupted while asking " + request.uri(), ex);
		}
		catch (HttpTimeoutException ex) {
			throw new RevocationUnavailableException(
					"No answer from " + request.uri() + " within " + this.readTimeout.toMillis() + " ms", ex);
		}
		catch (IOException ex) {
			throw new RevocationUnavailableException("Cannot reach " + request.uri() + ": " + describe(ex), ex);
		}
		if (response.statusCode() != 200) {
			throw new RevocationUnavailableException(request.uri() + " answered HTTP " + response.statusCode(), null);
		}
		if (response.body() == null) {
			throw new RevocationUnavailableException(request.uri() + " sent a body larger than " + MAX_BODY + " bytes",
					null);
		}
		return response.body();
	}

	private static HttpResponse.BodySubscriber<byte[]> boundedBody(HttpResponse.ResponseInfo info) {
		long length = info.headers().firstValueAsLong("Content-Length").orElse(-1);
		if (length > MAX_BODY) {
			return HttpResponse.BodySubscribers.replacing(null);
		}
		return HttpResponse.BodySubscribers.ofByteArray();
	}

	private static String describe(Throwable cause) {
		String message = cause.getMessage();
		if (cause instanceof IOException && (message == null || message.isBlank())) {
			return cause.getClass().getSimpleName();
		}
		return (message != null) ? message : cause.getClass().getSimpleName();
	}

}
