import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A load generator for certificate issuance. Closed loop by default: N workers each send
 * one signing request after another for a fixed time. With --rate=R, open loop: requests
 * are due at R per second, evenly spaced, whichever of the N workers is free sends the
 * next, and each latency counts from the moment the request was due (so a server that
 * falls behind shows in the latency, not as a lower rate). Either way, against Tether's POST /v1/certificates (mTLS
 * with the admin credentials) or a peer CA's API (cfssl's /api/v1/cfssl/sign, over plain
 * HTTP or, given --ca, --cert and --key, mutual TLS). Options: --target=tether|cfssl,
 * --label (names the result line), --url, --csr, --concurrency, --seconds, --warmup-seconds, --rate, and for mutual TLS --ca (PEM
 * roots to trust), --cert (PEM chain) and --key (PKCS#8 EC key). JDK only, run with the
 * source launcher: see bench/issuance.sh.
 */
public class IssuanceLoad {

	public static void main(String[] args) throws Exception {
		Map<String, String> options = parse(args);
		String target = options.getOrDefault("target", "tether");
		URI url = URI.create(options.get("url"));
		String csr = Files.readString(Path.of(options.get("csr")));
		int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "16"));
		Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "20")));

		HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
		// mutual TLS whenever a client certificate is given: always for Tether, for cfssl
		// serve when it runs with -mutual-tls-ca
		if (options.containsKey("cert")) {
			builder.sslContext(sslContext(Path.of(options.get("ca")), Path.of(options.get("cert")),
					Path.of(options.get("key"))));
		}
		String body;
		if (target.equals("tether")) {
			body = "{\"csr\":" + quote(csr) + ",\"spiffeId\":" + quote(options.get("spiffe-id"))
					+ ",\"ttl\":\"PT1H\"}";
		}
		else {
			body = "{\"certificate_request\":" + quote(csr) + "}";
		}
		HttpClient client = builder.build();
		HttpRequest request = HttpRequest.newBuilder(url)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		int expected = target.equals("tether") ? 201 : 200;

		// warm up (JIT, connection pools, database caches), so that the figure is the steady state
		Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup-seconds", "15")));
		long warmupEnd = System.nanoTime() + warmup.toNanos();
		run(client, request, expected, concurrency, System.nanoTime(), warmupEnd, 0, new AtomicLong(), new AtomicLong(),
				new ConcurrentLinkedQueue<>());
		double rate = Double.parseDouble(options.getOrDefault("rate", "0"));

		AtomicLong ok = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
		long start = System.nanoTime();
		run(client, request, expected, concurrency, start, start + duration.toNanos(), rate, ok, failed, latencies);
		double seconds = (System.nanoTime() - start) / 1e9;
		List<Long> sorted = new ArrayList<>(latencies);
		Collections.sort(sorted);
		System.out.printf("target=%s concurrency=%d%s seconds=%.1f ok=%d failed=%d throughput=%.1f/s p50=%.1fms p99=%.1fms%n",
				options.getOrDefault("label", target), concurrency, (rate > 0) ? String.format(" rate=%.1f/s", rate) : "", seconds, ok.get(), failed.get(), ok.get() / seconds, percentile(sorted, 0.50),
				percentile(sorted, 0.99));
		if (ok.get() == 0 || failed.get() > 0) {
			System.exit(1);
		}
	}

	/**
	 * @param rate requests per second due, open loop; 0 for closed loop
	 */
	static void run(HttpClient client, HttpRequest request, int expected, int concurrency, long startNanos,
			long endNanos, double rate, AtomicLong ok, AtomicLong failed, ConcurrentLinkedQueue<Long> latencies)
			throws InterruptedException {
		List<Thread> workers = new ArrayList<>();
		AtomicLong slots = new AtomicLong();
		long interval = (rate > 0) ? (long) (1e9 / rate) : 0;
		for (int i = 0; i < concurrency; i++) {
			workers.add(Thread.ofPlatform().start(() -> {
				while (System.nanoTime() < endNanos) {
					long begin = System.nanoTime();
					if (interval > 0) {
						begin = startNanos + slots.getAndIncrement() * interval;
						if (begin >= endNanos) {
							break;
						}
						for (long wait = begin - System.nanoTime(); wait > 0; wait = begin - System.nanoTime()) {
							LockSupport.parkNanos(wait);
						}
					}
					try {
						HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
						if (response.statusCode() == expected) {
							ok.incrementAndGet();
							latencies.add(System.nanoTime() - begin);
						}
						else {
							if (failed.incrementAndGet() == 1) {
								System.err.println("first failure: " + response.statusCode() + " " + response.body());
							}
						}
					}
					catch (Exception ex) {
						if (failed.incrementAndGet() == 1) {
							System.err.println("first failure: " + ex);
						}
					}
				}
			}));
		}
		for (Thread worker : workers) {
			worker.join();
		}
	}

	static double percentile(List<Long> sorted, double p) {
		if (sorted.isEmpty()) {
			return Double.NaN;
		}
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size()))) / 1e6;
	}

	static SSLContext sslContext(Path ca, Path cert, Path key) throws Exception {
		CertificateFactory factory = CertificateFactory.getInstance("X.509");
		List<Certificate> chain = new ArrayList<>(
				factory.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(cert))));
		String keyPem = Files.readString(key).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
		PrivateKey privateKey = KeyFactory.getInstance("EC")
			.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(keyPem)));
		KeyStore keys = KeyStore.getInstance("PKCS12");
		keys.load(null, null);
		keys.setKeyEntry("admin", privateKey, new char[0], chain.toArray(Certificate[]::new));
		KeyStore trust = KeyStore.getInstance("PKCS12");
		trust.load(null, null);
		int i = 0;
		for (Certificate root : factory.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(ca)))) {
			trust.setCertificateEntry("ca-" + i++, root);
		}
		KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		kmf.init(keys, new char[0]);
		TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		tmf.init(trust);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
		return context;
	}

	static String quote(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
	}

	static Map<String, String> parse(String[] args) {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new IllegalArgumentException("options are --name=value, got " + arg);
			}
			options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
		}
		return options;
	}

}
