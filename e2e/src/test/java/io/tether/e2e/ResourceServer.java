package io.tether.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.tether.workload.binding.BoundTokenVerifier;
import io.tether.workload.binding.InvalidTokenException;
import io.tether.workload.binding.VerifiedToken;

/**
 * A resource server over HTTPS with the workload library: client certificates requested,
 * every request needs a token bound to the connection's certificate. {@code GET /orders}
 * answers 200 with the token's subject, or 401 with RFC 6750's header.
 */
final class ResourceServer implements AutoCloseable {

	private final HttpsServer server;

	ResourceServer(SSLContext context, BoundTokenVerifier verifier) throws IOException {
		this.server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.setHttpsConfigurator(new HttpsConfigurator(context) {

			@Override
			public void configure(HttpsParameters parameters) {
				SSLParameters ssl = context.getDefaultSSLParameters();
				ssl.setWantClientAuth(true);
				parameters.setSSLParameters(ssl);
			}

		});
		this.server.createContext("/orders", (exchange) -> {
			HttpsExchange https = (HttpsExchange) exchange;
			X509Certificate client = null;
			try {
				Certificate[] chain = https.getSSLSession().getPeerCertificates();
				client = (X509Certificate) chain[0];
			}
			catch (SSLPeerUnverifiedException ex) {
				// no client certificate on this connection
			}
			String authorization = exchange.getRequestHeaders().getFirst("Authorization");
			int status;
			String body;
			try {
				if (authorization == null || !authorization.startsWith("Bearer ")) {
					throw new InvalidTokenException("no token");
				}
				VerifiedToken token = verifier.verify(authorization.substring(7), client);
				status = 200;
				body = "orders for " + token.subject();
			}
			catch (InvalidTokenException ex) {
				status = 401;
				body = ex.getMessage();
				exchange.getResponseHeaders()
					.add("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"" + body + "\"");
			}
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(status, bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		});
		this.server.start();
	}

	URI uri() {
		return URI.create("https://localhost:" + this.server.getAddress().getPort() + "/orders");
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
