package io.tether.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import io.tether.pki.TlsContexts;

/**
 * Talks to the Tether servers, trying each URL in turn until one answers. A refusal (4xx)
 * is final and not retried elsewhere; an unreachable server or a 5xx moves on to the
 * next.
 */
final class ServerClient {

	private final List<URI> servers;

	private final HttpClient client;

	private ServerClient(List<URI> servers, HttpClient client) {
		this.servers = servers;
		this.client = client;
	}

	/**
	 * A client for enrollment: no client certificate, and the server is trusted only if
	 * its chain leads to the root pinned by the join token.
	 */
	static ServerClient pinned(List<URI> servers, String rootSha256) {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, new TrustManager[] { new PinnedRootTrustManager(rootSha256) }, null);
			return new ServerClient(servers, build(context));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A client that authenticates with the agent's certificate and trusts the bundle.
	 */
	static ServerClient mutual(List<URI> servers, PrivateKey key, List<X509Certificate> chain,
			List<X509Certificate> bundle) {
		return new ServerClient(servers, build(TlsContexts.mutual(key, chain, bundle)));
	}

	private static HttpClient build(SSLContext context) {
		return HttpClient.newBuilder()
			.sslContext(context)
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	Map<String, Object> post(String path, Map<String, ?> body) throws ServerException {
		return send(path, Json.write(body, false));
	}

	Map<String, Object> get(String path) throws ServerException {
		return send(path, null);
	}

	private Map<String, Object> send(String path, String body) throws ServerException {
		ServerException last = null;
		for (URI server : this.servers) {
			HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(30));
			if (body != null) {
				request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
			}
			try {
				HttpResponse<String> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() / 100 == 2) {
					return answer(server, path, response.body());
				}
				String detail = problemDetail(response.body());
				if (response.statusCode() / 100 == 4) {
					throw new ServerException(
							server + " refused " + path + " (" + response.statusCode() + "): " + detail, true);
				}
				last = new ServerException(server + " failed " + path + " (" + response.statusCode() + "): " + detail,
						false);
			}
			catch (IOException ex) {
				last = new ServerException(server + " unreachable for " + path + ": " + describe(ex), false);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new ServerException("Interrupted", false);
			}
			Log.debug(last.getMessage());
		}
		throw last;
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
			Map<String, Object> problem = Json.parseObject(body);
			return Json.string(problem, "type") + ": " + Json.string(problem, "detail");
		}
		catch (Json.JsonException ex) {
			return body.length() > 200 ? body.substring(0, 200) : body;
		}
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

		ServerException(String message, boolean refused) {
			super(message);
			this.refused = refused;
		}

		boolean isRefused() {
			return this.refused;
		}

	}

}
