package io.tether.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.text.ParseException;
import java.time.Duration;

import com.nimbusds.jwt.SignedJWT;
import io.tether.pki.Pem;
import io.tether.pki.TlsContexts;
import io.tether.workload.PemFileCredentialSource;
import io.tether.workload.binding.BoundTokenClient;

/**
 * A workload calling the orders server, for the demo.
 *
 * <pre>
 * DemoClient call   AUTHZ ORDERS_URL CREDENTIALS_DIR SECONDS   calls every second with BoundTokenClient
 *                                                              (SECONDS 0: until stopped)
 * DemoClient token  AUTHZ CREDENTIALS_DIR                      prints a token for the current certificate
 * DemoClient replay ORDERS_URL CREDENTIALS_DIR TOKEN           calls once with someone else's token
 * </pre> Exit status 0 when every call got 200 ({@code call}), or the replay got 401.
 */
public final class DemoClient {

	private DemoClient() {
	}

	public static void main(String[] args) throws Exception {
		switch ((args.length > 0) ? args[0] : "") {
			case "call" -> System
				.exit(call(URI.create(args[1]), URI.create(args[2]), Path.of(args[3]), Integer.parseInt(args[4])));
			case "token" -> {
				try (BoundTokenClient client = client(URI.create(args[1]), Path.of(args[2]))) {
					System.out.println(client.token());
				}
			}
			case "replay" -> System.exit(replay(URI.create(args[1]), Path.of(args[2]), args[3]));
			default -> {
				System.err.println("usage: DemoClient call|token|replay ...");
				System.exit(2);
			}
		}
	}

	private static int call(URI authz, URI orders, Path credentials, int seconds) throws Exception {
		int failed = 0;
		try (PemFileCredentialSource source = watch(credentials);
				BoundTokenClient client = new BoundTokenClient(URI.create(authz + "/oauth2/token"), "orders.read",
						source, Clock.systemUTC())) {
			// heard of, not polled for: the next call already uses the new certificate
			source.subscribe((renewed) -> System.out.printf("credentials: now serial %s, valid until %s%n",
					renewed.leaf().getSerialNumber().toString(16), renewed.leaf().getNotAfter().toInstant()));
			for (int i = 0; seconds == 0 || i < seconds; i++) {
				try {
					HttpResponse<String> response = client.send(HttpRequest.newBuilder(orders),
							HttpResponse.BodyHandlers.ofString());
					String x5t = thumbprintIn(client.token());
					System.out.printf("call %2d: %d %s  (token bound to %s...)%n", i + 1, response.statusCode(),
							response.body(), x5t.substring(0, 12));
					failed += (response.statusCode() == 200) ? 0 : 1;
				}
				catch (IOException ex) {
					// the authorization server or the orders server unreachable: counted,
					// and
					// the next call tries again
					System.out.printf("call %2d: failed: %s%n", i + 1, ex);
					failed++;
				}
				Thread.sleep(1000);
			}
		}
		return (failed == 0) ? 0 : 1;
	}

	private static int replay(URI orders, Path credentials, String token) throws Exception {
		HttpClient http = HttpClient.newBuilder()
			.sslContext(TlsContexts.mutual(Pem.readPrivateKey(Files.readString(credentials.resolve("key.pem"))),
					Pem.readCertificates(Files.readString(credentials.resolve("cert.pem"))),
					Pem.readCertificates(Files.readString(credentials.resolve("bundle.pem")))))
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(orders).header("Authorization", "Bearer " + token).build(),
				HttpResponse.BodyHandlers.ofString());
		System.out.println("replay: " + response.statusCode() + " " + response.body());
		return (response.statusCode() == 401) ? 0 : 1;
	}

	private static BoundTokenClient client(URI authz, Path credentials) {
		return new BoundTokenClient(URI.create(authz + "/oauth2/token"), "orders.read", watch(credentials),
				Clock.systemUTC());
	}

	private static PemFileCredentialSource watch(Path credentials) {
		return PemFileCredentialSource.watch(credentials.resolve("cert.pem"), credentials.resolve("key.pem"),
				credentials.resolve("bundle.pem"));
	}

	private static String thumbprintIn(String token) throws ParseException {
		return String.valueOf(SignedJWT.parse(token).getJWTClaimsSet().getJSONObjectClaim("cnf").get("x5t#S256"));
	}

}
