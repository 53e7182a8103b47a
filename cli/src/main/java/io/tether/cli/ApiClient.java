package io.tether.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.Function;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import io.tether.pki.Pem;
import io.tether.pki.PkiException;
import io.tether.pki.TlsContexts;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server's admin API over mutual TLS with the configured admin credentials. Every
 * failure becomes a {@link CliException} with the exit code of its class and a message
 * that says what to do next.
 */
final class ApiClient implements AutoCloseable {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final CliConfig config;

	private final String command;

	private final HttpClient http;

	private ApiClient(CliConfig config, String command, HttpClient http) {
		this.config = config;
		this.command = command;
		this.http = http;
	}

	/**
	 * @param config where the server is and which credentials to use
	 * @param command the command being run ({@code tether entry delete}), for hints
	 */
	static ApiClient connect(CliConfig config, String command) {
		PrivateKey key = read(config, "key", config.key(), Pem::readPrivateKey);
		List<X509Certificate> chain = read(config, "certificate", config.certificate(), Pem::readCertificates);
		List<X509Certificate> bundle = read(config, "bundle", config.bundle(), Pem::readCertificates);
		if (chain.isEmpty() || bundle.isEmpty()) {
			throw new CliException(ExitCode.USAGE, "The "
					+ (chain.isEmpty() ? "certificate file " + config.certificate() : "bundle file " + config.bundle())
					+ " named in " + config.source() + " holds no certificate");
		}
		SSLContext tls;
		try {
			tls = TlsContexts.mutual(key, chain, bundle);
		}
		catch (PkiException | IllegalArgumentException ex) {
			throw new CliException(ExitCode.USAGE, "The admin key and certificate in " + config.source()
					+ " cannot be used together (" + ex.getMessage() + ")");
		}
		HttpClient http = HttpClient.newBuilder()
			.sslContext(tls)
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		return new ApiClient(config, command, http);
	}

	private static <T> T read(CliConfig config, String what, Path file, Function<String, T> parser) {
		try {
			return parser.apply(Files.readString(file));
		}
		catch (IOException | PkiException ex) {
			throw new CliException(ExitCode.USAGE, "Cannot use the " + what + " file " + file + " named in "
					+ config.source() + " (" + ex.getMessage() + ")");
		}
	}

	URI server() {
		return this.config.server();
	}

	JsonNode get(String path) {
		return json(send(request(path).GET()));
	}

	String getText(String path) {
		return send(request(path).GET());
	}

	JsonNode post(String path, Object body) {
		return json(send(request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))));
	}

	void delete(String path) {
		send(request(path).DELETE());
	}

	/**
	 * A query string of the parameters whose value is not {@code null}, encoded.
	 * @param namesAndValues name, value, name, value...
	 */
	static String query(Object... namesAndValues) {
		StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
		for (int i = 0; i < namesAndValues.length; i += 2) {
			if (namesAndValues[i + 1] != null) {
				query.add(namesAndValues[i] + "="
						+ URLEncoder.encode(namesAndValues[i + 1].toString(), StandardCharsets.UTF_8));
			}
		}
		return query.toString();
	}

	/**
	 * A path segment, encoded.
	 */
	static String segment(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(this.config.server() + path))
			.timeout(TIMEOUT)
			.header("Accept", "application/json, application/problem+json, application/x-pem-file");
	}

	private String send(HttpRequest.Builder request) {
		HttpResponse<String> response;
		try {
			response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw transportFailure(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CliException(ExitCode.FAILED, "Interrupted");
		}
		if (response.statusCode() / 100 != 2) {
			throw refusal(response);
		}
		return response.body();
	}

	private CliException transportFailure(IOException ex) {
		String server = this.config.server().toString();
		if (causedBy(ex, CertificateException.class)) {
			return new CliException(ExitCode.FAILED,
					"The server at " + server + " presented a certificate that " + this.config.bundle()
							+ " does not trust (" + rootMessage(ex) + "); is 'server' in " + this.config.source()
							+ " a Tether server, and the bundle its own?",
					ex);
		}
		String alert = alert(ex);
		if (alert != null) {
			return new CliException(ExitCode.REFUSED, "The server at " + server + " refused the admin certificate "
					+ this.config.certificate() + " (" + alert + "); use the credentials it wrote to <data-dir>/admin/",
					ex);
		}
		if (ex instanceof HttpConnectTimeoutException || causedBy(ex, ConnectException.class)
				|| causedBy(ex, UnresolvedAddressException.class)) {
			String reason = (ex instanceof HttpConnectTimeoutException) ? "connect timed out"
					: causedBy(ex, UnresolvedAddressException.class) ? "unknown host" : "connection refused";
			return new CliException(ExitCode.UNREACHABLE, "Cannot reach the server at " + server + " (" + reason
					+ "); is tether-server running? 'server' is set in " + this.config.source(), ex);
		}
		if (ex instanceof HttpTimeoutException) {
			return new CliException(ExitCode.UNREACHABLE,
					"The server at " + server + " did not answer within " + TIMEOUT.toSeconds() + " s; check its log",
					ex);
		}
		return new CliException(ExitCode.UNREACHABLE, "Connection to " + server + " failed (" + rootMessage(ex)
				+ "); is tether-server running? 'server' is set in " + this.config.source(), ex);
	}

	/**
	 * The TLS alert the server sent, when it refused our certificate during the
	 * handshake.
	 */
	private static String alert(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SSLException && cause.getMessage() != null
					&& cause.getMessage().contains("Received fatal alert")) {
				return cause.getMessage();
			}
		}
		return null;
	}

	private CliException refusal(HttpResponse<String> response) {
		int status = response.statusCode();
		String type = "";
		String detail = "HTTP " + status;
		try {
			JsonNode problem = JSON.readTree(response.body());
			type = problem.path("type").asString("").replace("urn:tether:problem:", "");
			detail = problem.path("detail").asString(problem.path("title").asString(detail));
		}
		catch (JacksonException ex) {
			// not problem+json: the status says enough
		}
		String noun = this.command.split(" ").length > 1 ? this.command.split(" ")[1] : "";
		return switch (status) {
			case 400 -> new CliException(ExitCode.USAGE, detail + "; see '" + this.command + " --help'");
			case 401, 403 -> new CliException(ExitCode.REFUSED, detail + " (" + type + ")" + refusalHint(type));
			case 404 -> new CliException(ExitCode.NOT_FOUND, detail + "; 'tether " + noun + " list' shows what exists");
			case 409 -> new CliException(ExitCode.FAILED, detail);
			default -> new CliException(ExitCode.FAILED,
					"The server answered " + status + ": " + detail + "; see the server log");
		};
	}

	private String refusalHint(String type) {
		if (type.equals("not-revocable")) {
			return "; the server replaces its own certificates itself";
		}
		if (type.equals("certificate-revoked")) {
			return "; the client certificate in " + this.config.source() + " was revoked: use fresh admin credentials";
		}
		if (type.equals("client-certificate-required")) {
			// the server names its CA in the handshake; a certificate of another CA is
			// not even sent
			return "; is " + this.config.certificate() + " issued by this Tether CA? Use the admin credentials "
					+ "the server wrote to <data-dir>/admin/";
		}
		if (type.isEmpty() || type.toLowerCase(Locale.ROOT).startsWith("not-")) {
			return "; use the admin credentials the server wrote to <data-dir>/admin/ (" + this.config.source() + ")";
		}
		return "; the server's issuance policy refuses this request";
	}

	private static JsonNode json(String body) {
		try {
			return JSON.readTree(body);
		}
		catch (JacksonException ex) {
			throw new CliException(ExitCode.FAILED, "The server's answer is not JSON; is this a Tether server?");
		}
	}

	private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return true;
			}
		}
		return false;
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

	@Override
	public void close() {
		this.http.close();
	}

}
