package io.tether.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import io.tether.api.OperatorEnrollRequest;
import io.tether.api.OperatorEnrolled;
import io.tether.pki.AtomicFiles;
import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.PinnedRootTrustManager;
import io.tether.pki.SpiffeId;
import io.tether.pki.Thumbprints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Enrolls this machine's operator: a key made here, a CSR, the one-time token, and a
 * configuration written next to the certificate, the key and the CA bundle. The server is
 * trusted on first contact only through the root fingerprint the token carries.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
		description = { "Enrolls you as the operator an admin created ('tether operator add'): makes a key here, "
				+ "sends a CSR with the one-time token, and writes config.yaml, operator-cert.pem, operator-key.pem "
				+ "(0600) and ca-bundle.pem to --dir. The server is trusted only if it holds the root CA the token "
				+ "pins. Commands renew the certificate by themselves once half of its life is gone." },
		footer = { "", "Example:", "  tether login --server https://ca.example:8443 --token to1.alice.…" })
class LoginCommand implements Callable<Integer> {

	static final String CONFIG = "config.yaml";

	static final String CERTIFICATE = "operator-cert.pem";

	static final String KEY = "operator-key.pem";

	static final String BUNDLE = "ca-bundle.pem";

	@Spec
	CommandSpec spec;

	@Option(names = "--server", required = true, paramLabel = "URL", description = "the server, https://host:port")
	String server;

	@Option(names = "--token", required = true, paramLabel = "TOKEN",
			description = "the one-time enrollment token from 'tether operator add'")
	String token;

	@Option(names = "--dir", paramLabel = "DIR",
			description = "where to write the configuration and credentials (default: ~/.config/tether)")
	Path dir;

	@Option(names = "--force", description = "replace a configuration already in --dir")
	boolean force;

	@Override
	public Integer call() {
		String[] parts = this.token.strip().split("\\.", -1);
		if (parts.length != 4 || !"to1".equals(parts[0]) || !parts[3].matches("[0-9a-f]{64}")) {
			throw new CliException(ExitCode.USAGE,
					"The token is not an enrollment token (to1.<name>.<secret>.<root-sha256> from 'tether operator add')");
		}
		URI base = serverUri();
		Path directory = directory();
		if (Files.exists(directory.resolve(CONFIG)) && !this.force) {
			throw new CliException(ExitCode.USAGE,
					directory.resolve(CONFIG) + " exists; pass --force to replace it, or --dir for another directory");
		}
		PinnedRootTrustManager trust = new PinnedRootTrustManager(parts[3], "enrollment token");
		try (HttpClient http = client(trust)) {
			// any public answer completes a handshake: the server's certificate names the
			// trust domain the CSR asks for
			send(http, HttpRequest.newBuilder(base.resolve("/v1/bundle")).GET(), base);
			String trustDomain = SpiffeId.of(trust.serverLeaf())
				.map(SpiffeId::trustDomain)
				.orElseThrow(() -> new CliException(ExitCode.FAILED,
						"The server's certificate carries no SPIFFE ID; is " + base + " a Tether server?"));
			KeyPair keys = KeyType.EC_P256.generate();
			String csr = Csr.create(keys, new SpiffeId(trustDomain, "/tether/operator/" + parts[1]), List.of()).toPem();
			String body = ApiClient.JSON.writeValueAsString(new OperatorEnrollRequest(this.token.strip(), csr));
			String answer = send(http,
					HttpRequest.newBuilder(base.resolve("/v1/operators/enroll"))
						.header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString(body)),
					base);
			OperatorEnrolled enrolled = ApiClient.bind(answer, OperatorEnrolled.class).value();
			List<X509Certificate> bundle = Pem.readCertificates(enrolled.bundle());
			if (bundle.stream().noneMatch((root) -> parts[3].equals(Thumbprints.sha256Hex(root)))) {
				throw new CliException(ExitCode.FAILED, "The server's bundle does not hold the root the token pins");
			}
			write(directory, base, keys, enrolled);
			PrintOut.line(this.spec,
					"logged in as " + enrolled.name() + " (role " + enrolled.role() + ", " + enrolled.spiffeId()
							+ "); certificate valid until " + enrolled.notAfter() + " ("
							+ Times.until(enrolled.notAfter(), Instant.now()) + "); configuration "
							+ directory.resolve(CONFIG));
			return ExitCode.OK;
		}
	}

	private URI serverUri() {
		String text = this.server.endsWith("/") ? this.server.substring(0, this.server.length() - 1) : this.server;
		URI uri;
		try {
			uri = URI.create(text);
		}
		catch (IllegalArgumentException ex) {
			throw new CliException(ExitCode.USAGE, "--server: not a URL: '" + this.server + "'");
		}
		if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
			throw new CliException(ExitCode.USAGE,
					"--server must be an https:// URL with a host, like https://localhost:8443");
		}
		return uri;
	}

	private Path directory() {
		if (this.dir != null) {
			return this.dir.toAbsolutePath();
		}
		Map<String, String> environment = TetherCli.environment(this.spec);
		return Path.of(environment.getOrDefault("HOME", System.getProperty("user.home"))).resolve(".config/tether");
	}

	private static HttpClient client(PinnedRootTrustManager trust) {
		try {
			SSLContext tls = SSLContext.getInstance("TLS");
			tls.init(null, new TrustManager[] { trust }, null);
			return HttpClient.newBuilder()
				.sslContext(tls)
				.version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(Duration.ofSeconds(5))
				.build();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String send(HttpClient http, HttpRequest.Builder request, URI base) {
		HttpResponse<String> response;
		try {
			response = http.send(request.timeout(Duration.ofSeconds(30))
				.header("Accept", "application/json, application/problem+json, application/x-pem-file")
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			Throwable root = ex;
			while (root.getCause() != null) {
				root = root.getCause();
			}
			throw new CliException(
					(root instanceof PinnedRootTrustManager.Untrusted) ? ExitCode.FAILED : ExitCode.UNREACHABLE,
					"Cannot enroll at " + base + " (" + root.getMessage() + ")", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CliException(ExitCode.FAILED, "Interrupted");
		}
		if (response.statusCode() / 100 != 2) {
			throw Refusal.of(response.statusCode(), response.body(), "tether login",
					new CliConfig(Path.of("(none yet)"), base, Path.of(BUNDLE), Path.of(CERTIFICATE), Path.of(KEY)));
		}
		return response.body();
	}

	/**
	 * Key first, configuration last: a reader that finds the configuration finds what it
	 * names.
	 */
	private static void write(Path directory, URI base, KeyPair keys, OperatorEnrolled enrolled) {
		try {
			Files.createDirectories(directory);
			AtomicFiles.write(directory.resolve(KEY), Pem.write(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII),
					AtomicFiles.OWNER_ONLY);
			AtomicFiles.write(directory.resolve(CERTIFICATE),
					enrolled.certificateChain().getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
			AtomicFiles.write(directory.resolve(BUNDLE), enrolled.bundle().getBytes(StandardCharsets.US_ASCII),
					AtomicFiles.PUBLIC_READ);
			String config = """
					# tether CLI configuration for operator %s, written by 'tether login'.
					server: %s
					bundle: %s            # the only certificates the CLI trusts the server with
					certificate: %s
					key: %s
					""".formatted(enrolled.name(), base, BUNDLE, CERTIFICATE, KEY);
			AtomicFiles.write(directory.resolve(CONFIG), config.getBytes(StandardCharsets.UTF_8),
					PosixFilePermissions.fromString("rw-------"));
		}
		catch (IOException ex) {
			throw new CliException(ExitCode.FAILED, "Cannot write the credentials to " + directory + ": " + ex, ex);
		}
	}

	/** Output through the command line's writer. */
	private static final class PrintOut {

		static void line(CommandSpec spec, String text) {
			spec.commandLine().getOut().println(text);
			spec.commandLine().getOut().flush();
		}

	}

}
