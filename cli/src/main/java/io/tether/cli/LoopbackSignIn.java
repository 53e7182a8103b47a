package io.tether.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A native app's sign-in (RFC 8252): a one-shot HTTP listener on the loopback interface
 * receives the authorization response that the person's browser is redirected to, with a
 * fresh {@code state} (CSRF) and PKCE verifier (RFC 7636, S256) per sign-in. The browser
 * is the person's own: this only prints the address to open.
 */
final class LoopbackSignIn implements AutoCloseable {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final HttpServer server;

	private final String state = random();

	private final String verifier = random();

	private final CompletableFuture<Map<String, String>> response = new CompletableFuture<>();

	LoopbackSignIn(int port) {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
		}
		catch (IOException ex) {
			throw new CliException(ExitCode.FAILED,
					"Cannot listen on 127.0.0.1:" + port + " for the sign-in's return (" + ex.getMessage() + ")");
		}
		this.server.createContext("/callback", this::callback);
		this.server.start();
	}

	/** Where the browser is sent back to: {@code http://127.0.0.1:<port>/callback}. */
	String redirectUri() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/callback";
	}

	String verifier() {
		return this.verifier;
	}

	/** The address the person opens: the authorization request. */
	URI authorizationRequest(URI authz, String clientId, String scope) {
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("response_type", "code");
		parameters.put("client_id", clientId);
		parameters.put("redirect_uri", redirectUri());
		if (scope != null && !scope.isBlank()) {
			parameters.put("scope", scope);
		}
		parameters.put("state", this.state);
		parameters.put("code_challenge", challenge(this.verifier));
		parameters.put("code_challenge_method", "S256");
		return URI.create(authz + "/oauth2/authorize?" + form(parameters));
	}

	/**
	 * Waits for the browser's return.
	 * @return the authorization code
	 * @throws CliException when the server refused, or nobody signed in in time
	 */
	String awaitCode(Duration timeout) {
		Map<String, String> parameters;
		try {
			parameters = this.response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new CliException(ExitCode.FAILED, "Nobody signed in within " + Times.compact(timeout));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CliException(ExitCode.FAILED, "Interrupted while waiting for the sign-in");
		}
		catch (ExecutionException ex) {
			throw new CliException(ExitCode.FAILED, "The sign-in failed (" + ex.getCause() + ")");
		}
		String error = parameters.get("error");
		if (error != null) {
			String description = parameters.get("error_description");
			throw new CliException(ExitCode.REFUSED, "The authorization server refused the sign-in: " + error
					+ ((description != null) ? " (" + description + ")" : ""));
		}
		return parameters.get("code");
	}

	private void callback(HttpExchange exchange) throws IOException {
		Map<String, String> parameters = parse(exchange.getRequestURI().getRawQuery());
		boolean ours = this.state.equals(parameters.get("state"))
				&& (parameters.containsKey("code") || parameters.containsKey("error"));
		String page;
		int status;
		if (!ours) {
			status = 400;
			page = "This is not the answer to the sign-in this terminal started.";
		}
		else if (parameters.containsKey("error")) {
			status = 200;
			page = "The sign-in was refused (" + parameters.get("error") + "); the terminal says more.";
		}
		else {
			status = 200;
			page = "Signed in. You can close this window and go back to the terminal.";
		}
		byte[] body = ("<!DOCTYPE html><html><head><title>tether</title></head><body><p>" + page + "</p></body></html>")
			.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
		if (ours) {
			this.response.complete(parameters);
		}
	}

	private static Map<String, String> parse(String query) {
		Map<String, String> parameters = new LinkedHashMap<>();
		if (query == null) {
			return parameters;
		}
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			String name = URLDecoder.decode((equals < 0) ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
			String value = (equals < 0) ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
			parameters.putIfAbsent(name, value);
		}
		return parameters;
	}

	static String form(Map<String, String> parameters) {
		StringBuilder form = new StringBuilder();
		parameters.forEach((name, value) -> form.append((form.length() > 0) ? "&" : "")
			.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
			.append('=')
			.append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
		return form.toString();
	}

	private static String random() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static String challenge(String verifier) {
		try {
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(
						MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
