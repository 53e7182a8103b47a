package io.tether.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.tether.workload.PemFileCredentialSource;
import io.tether.workload.TetherSsl;
import io.tether.workload.binding.BoundTokenVerifier;
import io.tether.workload.binding.DpopProofVerifier;
import io.tether.workload.binding.InMemoryDpopReplayStore;
import io.tether.workload.binding.InvalidDpopProofException;
import io.tether.workload.binding.InvalidTokenException;
import io.tether.workload.binding.VerifiedToken;

/**
 * A resource server over HTTPS on the workload library: client certificates requested,
 * {@code GET /orders} needs a token bound to the connection's certificate
 * ({@code Authorization: Bearer}), or to the key of the request's DPoP proof
 * ({@code Authorization: DPoP}, when the verifier takes DPoP), and answers 200 with the
 * token's subject, or 401 with RFC 6750's or RFC 9449's header. Each decision is printed.
 *
 * <pre>
 * java -cp demo/target/tether-demo.jar io.tether.demo.OrdersServer [ADDRESS:]PORT CERT KEY BUNDLE ISSUER AUDIENCE
 * </pre> ADDRESS is 127.0.0.1 unless given (0.0.0.0 in a container that others call).
 */
public final class OrdersServer implements AutoCloseable {

	private final HttpsServer server;

	/**
	 * @param port the port on 127.0.0.1, 0 for any
	 * @param context TLS: this server's certificate and the Tether trust
	 * @param verifier checks the tokens
	 * @throws IOException if the port cannot be bound
	 */
	public OrdersServer(int port, SSLContext context, BoundTokenVerifier verifier) throws IOException {
		this(new InetSocketAddress("127.0.0.1", port), context, verifier);
	}

	/**
	 * @param address the address and port to listen on
	 * @param context TLS: this server's certificate and the Tether trust
	 * @param verifier checks the tokens
	 * @throws IOException if the port cannot be bound
	 */
	public OrdersServer(InetSocketAddress address, SSLContext context, BoundTokenVerifier verifier) throws IOException {
		this.server = HttpsServer.create(address, 0);
		this.server.setHttpsConfigurator(new HttpsConfigurator(context) {

			@Override
			public void configure(HttpsParameters parameters) {
				SSLParameters ssl = context.getDefaultSSLParameters();
				ssl.setWantClientAuth(true);
				parameters.setSSLParameters(ssl);
			}

		});
		this.server.createContext("/orders", (exchange) -> {
			X509Certificate client = null;
			try {
				Certificate[] chain = ((HttpsExchange) exchange).getSSLSession().getPeerCertificates();
				client = (X509Certificate) chain[0];
			}
			catch (SSLPeerUnverifiedException ex) {
				// no client certificate on this connection
			}
			String authorization = exchange.getRequestHeaders().getFirst("Authorization");
			int status;
			String body;
			String scheme = (authorization != null && authorization.startsWith("DPoP ")) ? "DPoP" : "Bearer";
			try {
				VerifiedToken token;
				if (scheme.equals("DPoP") && verifier.acceptsDpop()) {
					List<String> proofs = exchange.getRequestHeaders().getOrDefault("DPoP", List.of());
					token = verifier.verifyDpop(authorization.substring(5), (proofs.size() == 1) ? proofs.get(0) : null,
							exchange.getRequestMethod(), uri().toString(), client);
				}
				else if (authorization != null && authorization.startsWith("Bearer ")) {
					token = verifier.verify(authorization.substring(7), client);
				}
				else {
					throw new InvalidTokenException("no token");
				}
				status = 200;
				body = "orders for " + token.subject();
			}
			catch (InvalidDpopProofException ex) {
				status = 401;
				body = ex.getMessage();
				exchange.getResponseHeaders()
					.add("WWW-Authenticate", "DPoP error=\"" + ex.error() + "\", error_description=\"" + body + "\"");
			}
			catch (InvalidTokenException ex) {
				status = 401;
				body = ex.getMessage();
				exchange.getResponseHeaders()
					.add("WWW-Authenticate", scheme + " error=\"invalid_token\", error_description=\"" + body + "\"");
			}
			System.out.println("orders: " + status + " " + body);
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(status, bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		});
		this.server.start();
	}

	/**
	 * @return the URL of {@code /orders}
	 */
	public URI uri() {
		return URI.create("https://localhost:" + this.server.getAddress().getPort() + "/orders");
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 6) {
			System.err.println("usage: OrdersServer [ADDRESS:]PORT CERT KEY BUNDLE ISSUER AUDIENCE");
			System.exit(2);
		}
		PemFileCredentialSource credentials = PemFileCredentialSource.watch(Path.of(args[1]), Path.of(args[2]),
				Path.of(args[3]));
		SSLContext context = TetherSsl.context(credentials);
		credentials.subscribe((changed) -> System.out
			.println("orders: now serving serial " + changed.leaf().getSerialNumber().toString(16) + ", trusting "
					+ changed.bundle().size() + " CA certificate(s)"));
		BoundTokenVerifier verifier = BoundTokenVerifier.fromJwkSetUri(URI.create(args[4] + "/oauth2/jwks"), context)
			.issuer(args[4])
			.audience(args[5])
			.dpop(DpopProofVerifier.withReplayStore(new InMemoryDpopReplayStore(100_000, Clock.systemUTC())).build())
			.build();
		int colon = args[0].lastIndexOf(':');
		InetSocketAddress address = (colon < 0) ? new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]))
				: new InetSocketAddress(args[0].substring(0, colon), Integer.parseInt(args[0].substring(colon + 1)));
		try (OrdersServer server = new OrdersServer(address, context, verifier)) {
			System.out.println("orders: listening on " + server.uri());
			new CountDownLatch(1).await();
		}
	}

}
