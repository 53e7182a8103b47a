import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A closed-loop load generator for an OAuth token endpoint: N workers each send one
 * client_credentials request after another over mutual TLS with a workload's certificate,
 * for a warm-up and then a measured time, and count the 200s that carry a bound token.
 * With {@code dpop=true} every request also carries a fresh DPoP proof (RFC 9449, ES256,
 * signed with the JDK, a new key every 200 requests) and the token must be DPoP-bound.
 * JDK only, run with the source launcher: see bench/token-endpoint.sh.
 *
 * <pre>
 * java bench/TokenLoad.java url=https://localhost:9443/oauth2/token cert=web/cert.pem key=web/key.pem \
 *     bundle=bundle.pem [form=scope=orders.read] [dpop=true] [clients=16] [warmup=10] [seconds=15]
 * </pre>
 */
public class TokenLoad {

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			int eq = arg.indexOf('=');
			options.put(arg.substring(0, eq), arg.substring(eq + 1));
		}
		URI url = URI.create(options.get("url"));
		String form = "grant_type=client_credentials" + (options.containsKey("form") ? "&" + options.get("form") : "");
		boolean dpop = Boolean.parseBoolean(options.getOrDefault("dpop", "false"));
		int clients = Integer.parseInt(options.getOrDefault("clients", "16"));
		Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "10")));
		Duration measured = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "15")));
		SSLContext tls = mutual(Path.of(options.get("cert")), Path.of(options.get("key")),
				Path.of(options.get("bundle")));

		// one connection per worker, kept alive, as a fleet of workloads would hold
		List<HttpClient> https = new ArrayList<>();
		for (int i = 0; i < clients; i++) {
			https.add(HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build());
		}
		Instant start = Instant.now();
		Instant measureFrom = start.plus(warmup);
		Instant end = measureFrom.plus(measured);
		AtomicLong ok = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
		List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
		List<Thread> workers = new ArrayList<>();
		for (HttpClient http : https) {
			workers.add(Thread.ofPlatform().start(() -> {
				KeyPair key = null;
				int proofs = 0;
				while (Instant.now().isBefore(end)) {
					if (dpop && proofs++ % KEY_USES == 0) {
						// a new client key now and then: Spring's authorization server takes at
						// most 1,000 proofs per key within its replay window, and a real client
						// asks for a token once per token lifetime
						key = newKey();
					}
					long began = System.nanoTime();
					boolean counted = !Instant.now().isBefore(measureFrom);
					try {
						HttpRequest.Builder request = HttpRequest.newBuilder(url)
							.header("Content-Type", "application/x-www-form-urlencoded")
							.POST(HttpRequest.BodyPublishers.ofString(form));
						if (key != null) {
							request.header("DPoP", proof(key, url));
						}
						HttpResponse<String> response = http.send(request.build(),
								HttpResponse.BodyHandlers.ofString());
						boolean bound = response.body().contains("access_token") && (key == null
								? response.statusCode() == 200 : response.body().contains("\"DPoP\""));
						if (counted) {
							if (response.statusCode() == 200 && bound) {
								ok.incrementAndGet();
								latencies.add(System.nanoTime() - began);
							}
							else {
								failed.incrementAndGet();
								if (failures.size() < 3) {
									failures.add(response.statusCode() + " " + response.body());
								}
							}
						}
					}
					catch (Exception ex) {
						if (counted) {
							failed.incrementAndGet();
							if (failures.size() < 3) {
								failures.add(ex.toString());
							}
						}
					}
				}
			}));
		}
		for (Thread worker : workers) {
			worker.join();
		}
		List<Long> sorted = new ArrayList<>(latencies);
		Collections.sort(sorted);
		double seconds = measured.toMillis() / 1000.0;
		System.out.printf("tokens/s %.1f  ok %d  failed %d  p50 %.1f ms  p99 %.1f ms%n", ok.get() / seconds, ok.get(),
				failed.get(), percentile(sorted, 0.50), percentile(sorted, 0.99));
		failures.forEach((failure) -> System.out.println("failure: " + failure));
	}

	private static final int KEY_USES = 200;

	private static KeyPair newKey() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return generator.generateKeyPair();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A DPoP proof for a POST to the URL: typ dpop+jwt, ES256, the public key as jwk. */
	private static String proof(KeyPair key, URI url) throws Exception {
		ECPublicKey pub = (ECPublicKey) key.getPublic();
		String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\""
				+ coordinate(pub.getW().getAffineX()) + "\",\"y\":\"" + coordinate(pub.getW().getAffineY()) + "\"}}";
		String payload = "{\"jti\":\"" + UUID.randomUUID() + "\",\"htm\":\"POST\",\"htu\":\"" + url + "\",\"iat\":"
				+ Instant.now().getEpochSecond() + "}";
		Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
		String input = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
				+ b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
		Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
		signer.initSign(key.getPrivate());
		signer.update(input.getBytes(StandardCharsets.US_ASCII));
		return input + "." + b64.encodeToString(signer.sign());
	}

	private static String coordinate(BigInteger value) {
		byte[] bytes = value.toByteArray();
		byte[] fixed = new byte[32];
		int copy = Math.min(bytes.length, 32);
		System.arraycopy(bytes, bytes.length - copy, fixed, 32 - copy, copy);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
	}

	private static double percentile(List<Long> sorted, double p) {
		if (sorted.isEmpty()) {
			return Double.NaN;
		}
		return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size()))) / 1e6;
	}

	private static SSLContext mutual(Path cert, Path key, Path bundle) throws Exception {
		CertificateFactory x509 = CertificateFactory.getInstance("X.509");
		List<Certificate> chain = new ArrayList<>(
				x509.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(cert))));
		String pem = Files.readString(key).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
		PrivateKey privateKey = KeyFactory.getInstance("EC")
			.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
		KeyStore keys = KeyStore.getInstance("PKCS12");
		keys.load(null, null);
		keys.setKeyEntry("key", privateKey, new char[0], chain.toArray(Certificate[]::new));
		KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keyManagers.init(keys, new char[0]);
		KeyStore trust = KeyStore.getInstance("PKCS12");
		trust.load(null, null);
		int i = 0;
		for (Certificate ca : x509.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(bundle)))) {
			trust.setCertificateEntry("ca" + i++, ca);
		}
		TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(trust);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
		return context;
	}

}
