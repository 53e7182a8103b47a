import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import io.tether.pki.AtomicFiles;
import io.tether.workload.PemFileCredentialSource;
import io.tether.workload.TetherSsl;

/**
 * How long after the agent renames a new certificate into place new TLS handshakes see
 * it, for bench/hot-reload.sh: a Java server on workload's reloading SSLContext, and
 * nginx reloaded by its hook ('nginx -s reload', what docs/agent.md configures) as the
 * peer, each measured by the same client doing back-to-back handshakes.
 *
 * usage: java -cp CLASSPATH HotReload DIR ROUNDS [NGINX_PREFIX NGINX_PORT]
 * DIR holds ca.pem and cert-N.pem / key-N.pem for N = 0..ROUNDS, serial N+1 each.
 */
public final class HotReload {

	public static void main(String[] args) throws Exception {
		Path dir = Path.of(args[0]);
		int rounds = Integer.parseInt(args[1]);
		SSLContext client = client(dir.resolve("ca.pem"));

		Path served = Files.createDirectories(dir.resolve("java"));
		install(dir, served, 0);
		List<Long> java = new ArrayList<>();
		try (PemFileCredentialSource source = PemFileCredentialSource.watch(served.resolve("cert.pem"),
				served.resolve("key.pem"), served.resolve("bundle.pem"));
				SSLServerSocket server = (SSLServerSocket) TetherSsl.context(source)
					.getServerSocketFactory()
					.createServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			Thread acceptor = Thread.ofPlatform().daemon().start(() -> accept(server));
			int port = server.getLocalPort();
			for (int round = 1; round <= rounds; round++) {
				// nothing to run: the file watcher picks the rename up
				java.add(measure(client, port, () -> {
				}, round, dir, served));
			}
			acceptor.interrupt();
		}
		report("workload (Java, reloading SSLContext)", java);

		if (args.length >= 4) {
			Path prefix = Path.of(args[2]);
			int port = Integer.parseInt(args[3]);
			Path nginxFiles = prefix.resolve("tls");
			List<Long> nginx = new ArrayList<>();
			for (int round = 1; round <= rounds; round++) {
				nginx.add(measure(client, port, () -> {
					run("nginx", "-p", prefix.toString(), "-c", prefix.resolve("nginx.conf").toString(), "-s", "reload");
				}, round, dir, nginxFiles));
			}
			report("nginx with its reload hook", nginx);
			double javaP50 = percentile(java, 50);
			double nginxP50 = percentile(nginx, 50);
			System.out.printf("ratio p50 workload/nginx = %.2f%n", javaP50 / nginxP50);
		}
	}

	interface Step {

		void run() throws Exception;

	}

	/**
	 * Renames round N's key and certificate into place (as the agent does: key first,
	 * chain after), runs the reload step, and measures until a new handshake sees it.
	 */
	private static long measure(SSLContext client, int port, Step reload, int round, Path dir, Path served)
			throws Exception {
		BigInteger expected = BigInteger.valueOf(round + 1);
		byte[] key = Files.readAllBytes(dir.resolve("key-" + round + ".pem"));
		byte[] cert = Files.readAllBytes(dir.resolve("cert-" + round + ".pem"));
		AtomicFiles.write(served.resolve("key.pem"), key, AtomicFiles.OWNER_ONLY);
		AtomicFiles.write(served.resolve("cert.pem"), cert, AtomicFiles.PUBLIC_READ);
		long renamed = System.nanoTime();
		reload.run();
		long deadline = renamed + TimeUnit.SECONDS.toNanos(10);
		while (!expected.equals(servedSerial(client, port))) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("round " + round + ": not served within 10 s");
			}
		}
		long delay = System.nanoTime() - renamed;
		Thread.sleep(300);
		return delay;
	}

	private static void install(Path dir, Path served, int round) throws IOException {
		Files.copy(dir.resolve("ca.pem"), served.resolve("bundle.pem"), StandardCopyOption.REPLACE_EXISTING);
		Files.copy(dir.resolve("key-" + round + ".pem"), served.resolve("key.pem"),
				StandardCopyOption.REPLACE_EXISTING);
		Files.copy(dir.resolve("cert-" + round + ".pem"), served.resolve("cert.pem"),
				StandardCopyOption.REPLACE_EXISTING);
	}

	private static void accept(SSLServerSocket server) {
		while (!server.isClosed()) {
			try (SSLSocket socket = (SSLSocket) server.accept()) {
				socket.startHandshake();
			}
			catch (IOException ex) {
				// a client that went away, or the server closing
			}
		}
	}

	private static BigInteger servedSerial(SSLContext client, int port) {
		try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
			socket.startHandshake();
			return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
		}
		catch (IOException ex) {
			return BigInteger.ZERO;
		}
	}

	private static SSLContext client(Path ca) throws Exception {
		KeyStore trust = KeyStore.getInstance("PKCS12");
		trust.load(null, null);
		try (var in = Files.newInputStream(ca)) {
			trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(trust);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, factory.getTrustManagers(), null);
		return context;
	}

	private static void run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		if (process.waitFor() != 0) {
			throw new IllegalStateException(String.join(" ", command) + " failed");
		}
	}

	private static void report(String what, List<Long> nanos) {
		System.out.printf("%s: rounds=%d p50=%.1fms p95=%.1fms max=%.1fms%n", what, nanos.size(),
				percentile(nanos, 50), percentile(nanos, 95), Collections.max(nanos) / 1e6);
	}

	private static double percentile(List<Long> nanos, int percent) {
		List<Long> sorted = new ArrayList<>(nanos);
		Collections.sort(sorted);
		int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, index)) / 1e6;
	}

}
