package io.tether.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

import io.tether.api.Problem;
import io.tether.api.ProblemType;
import io.tether.pki.PinnedRootTrustManager;
import io.tether.pki.TlsContexts;

/**
 * Talks to the Tether servers, trying each URL in turn until one answers. A refusal (4xx)
 * is final and not retried elsewhere; an unreachable server or a 5xx moves on to the
 * next.
 * <p>
 * Plain {@code HttpsURLConnection}, no proxy, no redirects: the JDK's {@code HttpClient}
 * keeps about 4 MiB more resident for the few requests a renewal makes (measured with
 * bench/TlsFloor.java, see docs/agent.md). Host names are verified as usual; idle
 * connections are reused only with the same socket factory, so a renewed agent
 * certificate (a new factory) always opens a new connection. Each request has one
 * deadline for all of it (a server that trickles bytes is cut off), and a POST is never
 * resent by the JDK on its own ({@code sun.net.http.retryPost}, set by
 * {@link TetherAgent}): the agent's backoff decides when to try again.
 */
final class ServerClient {

	private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * Far above any answer of the server (about 3,000 registration entries); keeps a
	 * broken one from filling the agent's small heap.
	 */
	private static final int MAX_ANSWER_BYTES = 1024 * 1024;

	private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

	private final List<URI> servers;

	private final SSLSocketFactory sockets;

	private final Duration requestTimeout;

	private ServerClient(List<URI> servers, SSLSocketFactory sockets, Duration requestTimeout) {
		this.servers = servers;
		this.sockets = sockets;
		this.requestTimeout = requestTimeout;
	}

	private static ScheduledThreadPoolExecutor deadlines() {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "tether-agent-request-deadline");
			thread.setDaemon(true);
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		return executor;
	}

	/**
	 * The same client with another deadline per request (tests).
	 */
	ServerClient withRequestTimeout(Duration timeout) {
		return new ServerClient(this.servers, this.sockets, timeout);
	}

	/**
	 * A client for enrollment: no client certificate, and the server is trusted only if
	 * its chain leads to the root pinned by the join token.
	 */
	static ServerClient pinned(List<URI> servers, String rootSha256) {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, new TrustManager[] { new PinnedRootTrustManager(rootSha256, "join token") }, null);
			return new ServerClient(servers, context.getSocketFactory(), REQUEST_TIMEOUT);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A client without a client certificate that trusts the bundle: for re-attestation,
	 * when the agent's own certificate has expired and would fail the handshake.
	 */
	static ServerClient trusting(List<URI> servers, List<X509Certificate> bundle) {
		return new ServerClient(servers, TlsContexts.trusting(bundle).getSocketFactory(), REQUEST_TIMEOUT);
	}

	/**
	 * A client that authenticates with the agent's certificate and trusts the bundle.
	 */
	static ServerClient mutual(List<URI> servers, PrivateKey key, List<X509Certificate> chain,
			List<X509Certificate> bundle) {
		return new ServerClient(servers, TlsContexts.mutual(key, chain, bundle).getSocketFactory(), REQUEST_TIMEOUT);
	}

	Map<String, Object> post(String path, Map<String, ?> body) throws ServerException {
		return json(path, Json.write(body, false));
	}

	Map<String, Object> get(String path) throws ServerException {
		return json(path, null);
	}

	/**
	 * A conditional GET of a document that is not JSON (the PEM bundle).
	 * @param etag the tag of the copy held, sent as {@code If-None-Match}, or
	 * {@code null}
	 */
	Fetched fetch(String path, String accept, String etag) throws ServerException {
		Response response = send(path, null, accept, etag);
		return new Fetched(response.status() == 304, response.body(), response.etag(), response.servedBy());
	}

	/**
	 * A fetched document.
	 *
	 * @param notModified the server still holds the copy tagged as asked; no body
	 * @param etag the document's tag, or {@code null}
	 * @param servedBy the chain the server presented on this connection
	 */
	record Fetched(boolean notModified, String body, String etag, List<X509Certificate> servedBy) {
	}

	private Map<String, Object> json(String path, String body) throws ServerException {
		Response response = send(path, body, "application/json", null);
		return answer(response.server(), path, response.body());
	}

	/**
	 * Tries each server in turn. A server that is not the CA the join token pins counts
	 * as a refusal only when every server was such: one of several may be down or
	 * misconfigured while another answers.
	 */
	private Response send(String path, String body, String accept, String etag) throws ServerException {
		ServerException last = null;
		boolean allUntrusted = true;
		for (URI server : this.servers) {
			try {
				Response response = exchange(server, server.resolve(path), body, accept, etag);
				if (response.status() / 100 == 2 || (etag != null && response.status() == 304)) {
					return response;
				}
				String detail = problemDetail(response.body());
				// 429: a rate limit of this server, which did nothing; like a 5xx,
				// another
				// server or a later attempt may succeed, and an enrollment that stops
				// here
				// for good would strand the agent with a join token still usable
				if (response.status() / 100 == 4 && response.status() != 429) {
					throw new ServerException(server + " refused " + path + " (" + response.status() + "): " + detail,
							true, problemType(response.body()));
				}
				last = new ServerException(server + " failed " + path + " (" + response.status() + "): " + detail,
						false);
			}
			catch (IOException ex) {
				PinnedRootTrustManager.Untrusted untrusted = untrusted(ex);
				if (untrusted != null) {
					last = new ServerException(server + " is not the CA the join token pins: " + untrusted.getMessage(),
							true);
					Log.debug(last.getMessage());
					continue;
				}
				last = new ServerException(server + " unreachable for " + path + ": " + describe(ex), false);
			}
			allUntrusted = false;
			Log.debug(last.getMessage());
		}
		if (!allUntrusted && last.isRefused()) {
			throw new ServerException(last.getMessage(), false);
		}
		throw last;
	}

	private Response exchange(URI server, URI uri, String body, String accept, String etag) throws IOException {
		HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
		ScheduledFuture<?> deadline = DEADLINES.schedule(connection::disconnect, this.requestTimeout.toMillis(),
				TimeUnit.MILLISECONDS);
		try {
			connection.setSSLSocketFactory(this.sockets);
			connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
			connection.setReadTimeout((int) this.requestTimeout.toMillis());
			connection.setInstanceFollowRedirects(false);
			connection.setRequestProperty("Accept", accept);
			if (etag != null) {
				connection.setRequestProperty("If-None-Match", etag);
			}
			if (body != null) {
				byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
				connection.setRequestMethod("POST");
				connection.setRequestProperty("Content-Type", "application/json");
				// buffered, not streamed: in streaming mode a 401 would surface as an
				// HttpRetryException without the server's problem details
				connection.setDoOutput(true);
				try (OutputStream out = connection.getOutputStream()) {
					out.write(bytes);
				}
			}
			int status = connection.getResponseCode();
			List<X509Certificate> servedBy = servedBy(connection);
			String tag = connection.getHeaderField("ETag");
			try (InputStream in = (status < 400) ? connection.getInputStream() : connection.getErrorStream()) {
				byte[] answer = (in != null) ? in.readNBytes(MAX_ANSWER_BYTES + 1) : new byte[0];
				if (answer.length > MAX_ANSWER_BYTES) {
					throw new IOException("answer larger than " + MAX_ANSWER_BYTES + " bytes");
				}
				return new Response(server, status, new String(answer, StandardCharsets.UTF_8), tag, servedBy);
			}
		}
		catch (IOException ex) {
			connection.disconnect();
			if (deadline.isDone()) {
				throw new IOException("no complete answer within " + this.requestTimeout.toSeconds() + " s", ex);
			}
			throw ex;
		}
		finally {
			deadline.cancel(false);
		}
	}

	/**
	 * The chain the server presented, while the connection is open (it is not after a
	 * bodiless answer such as a 304: then none).
	 */
	private static List<X509Certificate> servedBy(HttpsURLConnection connection) throws IOException {
		try {
			return Arrays.stream(connection.getServerCertificates()).map(X509Certificate.class::cast).toList();
		}
		catch (IllegalStateException ex) {
			return List.of();
		}
	}

	private record Response(URI server, int status, String body, String etag, List<X509Certificate> servedBy) {
	}

	private static Map<String, Object> answer(URI server, String path, String body) throws ServerException {
		try {
			return Json.parseObject(body);
		}
		catch (Json.JsonException ex) {
			throw new ServerException(
					server + " answered " + path + " with something other than a JSON object: " + ex.getMessage(),
					false);
		}
	}

	private static String problemDetail(String body) {
		try {
			Problem problem = Records.read(Json.parseObject(body), Problem.class);
			if (problem.type() == null || problem.detail() == null) {
				throw new Json.JsonException("not a problem document");
			}
			return problem.type() + ": " + problem.detail();
		}
		catch (Json.JsonException ex) {
			return body.length() > 200 ? body.substring(0, 200) : body;
		}
	}

	private static ProblemType problemType(String body) {
		try {
			return Records.read(Json.parseObject(body), Problem.class).problemType().orElse(null);
		}
		catch (Json.JsonException ex) {
			return null;
		}
	}

	private static PinnedRootTrustManager.Untrusted untrusted(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof PinnedRootTrustManager.Untrusted untrusted) {
				return untrusted;
			}
		}
		return null;
	}

	private static String describe(IOException ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getMessage() == null) {
			cause = cause.getCause();
		}
		return cause.getClass().getSimpleName() + ((cause.getMessage() != null) ? " " + cause.getMessage() : "");
	}

	/**
	 * The server said no ({@code refused}) or could not be reached / failed.
	 */
	static final class ServerException extends Exception {

		private static final long serialVersionUID = 1L;

		private final boolean refused;

		private final ProblemType problem;

		ServerException(String message, boolean refused) {
			this(message, refused, null);
		}

		/**
		 * @param problem the type of the server's problem document, or {@code null}
		 */
		ServerException(String message, boolean refused, ProblemType problem) {
			super(message);
			this.refused = refused;
			this.problem = problem;
		}

		boolean isRefused() {
			return this.refused;
		}

		/** The type of the server's refusal, or {@code null} when it named none. */
		ProblemType problem() {
			return this.problem;
		}

	}

}
