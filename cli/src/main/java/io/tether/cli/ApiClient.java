package io.tether.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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
import java.time.Instant;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Consumer;
import java.util.function.Function;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tether.pki.Pem;
import io.tether.pki.SpiffeId;
import io.tether.pki.PkiException;
import io.tether.pki.TlsContexts;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server's admin API over mutual TLS with the configured admin credentials. Every
 * failure becomes a {@link CliException} with the exit code of its class and a message
 * that says what to do next.
 */
final class ApiClient implements AutoCloseable {

	static final JsonMapper JSON = JsonMapper.builder()
		// The server writes exactly the io.tether.api records, but a newer server may
		// add a member: an older CLI must still read the rest, so unknown members are
		// ignored, never an error (Jackson 3's default, stated so that it stays).
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		// request records leave out what the operator did not give (no "ttl": null),
		// as the CLI always sent them
		.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
		.build();

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final CliConfig config;

	private final String command;

	private final HttpClient http;

	private final X509Certificate certificate;

	private ApiClient(CliConfig config, String command, HttpClient http, X509Certificate certificate) {
		this.config = config;
		this.command = command;
		this.http = http;
		this.certificate = certificate;
	}

	/** Below this, every command warns that the admin certificate is about to expire. */
	static final Duration EXPIRY_WARNING = Duration.ofDays(7);

	/**
	 * A warning for stderr when the admin certificate expires within
	 * {@link #EXPIRY_WARNING}, else {@code null}.
	 */
	String expiryWarning(Instant now) {
		return expiryWarning(this.certificate, this.config.certificate(), now);
	}

	static String expiryWarning(X509Certificate certificate, Path file, Instant now) {
		Instant notAfter = certificate.getNotAfter().toInstant();
		boolean admin = SpiffeId.of(certificate).map((id) -> id.path().equals("/tether/admin")).orElse(false);
		if (!admin || Duration.between(now, notAfter).compareTo(EXPIRY_WARNING) >= 0) {
			// only the server's admin credentials have a renewal to point to
			return null;
		}
		String when = notAfter.isAfter(now) ? "expires " + Times.until(notAfter, now)
				: "has " + Times.until(notAfter, now);
		return "tether: warning: the admin certificate " + file + " " + when + " (" + notAfter
				+ "); the server renews the one in its data directory (<data-dir>/admin/) "
				+ "when a third of its life is left: copy the renewed files if this is a copy";
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
		return new ApiClient(config, command, http, chain.get(0));
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

	/** The client certificate this client presents. */
	X509Certificate certificate() {
		return this.certificate;
	}

	<T> Reply<T> get(String path, Class<T> type) {
		return bind(send(request(path).GET()), type);
	}

	/**
	 * A GET the server takes long to answer, reading the whole of something before it
	 * answers ({@code GET /v1/audit/verify} walks the audit log).
	 * @param timeout how long to wait for the answer
	 */
	<T> Reply<T> getSlow(String path, Class<T> type, Duration timeout) {
		return bind(send(request(path).timeout(timeout).GET()), type);
	}

	String getText(String path) {
		return send(request(path).GET());
	}

	/**
	 * @param body an {@code io.tether.api} request record; members left {@code null} are
	 * not sent, so the server's defaults apply
	 */
	<T> Reply<T> post(String path, Object body, Class<T> type) {
		return post(path, JSON.writeValueAsString(body), type);
	}

	/**
	 * A POST to an endpoint that takes no body: an empty JSON object keeps it a JSON
	 * request like every other.
	 */
	<T> Reply<T> post(String path, Class<T> type) {
		return post(path, "{}", type);
	}

	private <T> Reply<T> post(String path, String json, Class<T> type) {
		return bind(send(request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))), type);
	}

	<T> Reply<T> delete(String path, Class<T> type) {
		return bind(send(request(path).DELETE()), type);
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

	/**
	 * A GET of a binary document ({@code application/pkix-crl}...).
	 * @param accept the media type asked for
	 */
	byte[] getBytes(String path, String accept) {
		return sendBytes(request(path, accept).GET());
	}

	/**
	 * A POST of a binary document ({@code application/ocsp-request}...) that answers with
	 * another.
	 */
	byte[] postBytes(String path, String contentType, byte[] body, String accept) {
		return sendBytes(request(path, accept).header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body)));
	}

	/**
	 * A GET of a streamed text document ({@code application/x-ndjson}...), handed on line
	 * by line as it arrives, so that a long one is never held whole.
	 * @param accept the media type asked for
	 * @param line what to do with each line
	 * @return how many lines there were
	 */
	long getLines(String path, String accept, Consumer<String> line) {
		HttpResponse<InputStream> response;
		try {
			response = this.http.send(request(path, accept + ", application/problem+json").GET().build(),
					HttpResponse.BodyHandlers.ofInputStream());
		}
		catch (IOException ex) {
			throw transportFailure(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CliException(ExitCode.FAILED, "Interrupted");
		}
		try (InputStream body = response.body();
				BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
			if (response.statusCode() / 100 != 2) {
				throw Refusal.of(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8),
						this.command, this.config);
			}
			long lines = 0;
			for (String text = reader.readLine(); text != null; text = reader.readLine()) {
				line.accept(text);
				lines++;
			}
			return lines;
		}
		catch (IOException ex) {
			throw transportFailure(ex);
		}
	}

	private HttpRequest.Builder request(String path) {
		return request(path, "application/json, application/problem+json, application/x-pem-file");
	}

	private HttpRequest.Builder request(String path, String accept) {
		return HttpRequest.newBuilder(URI.create(this.config.server() + path))
			.timeout(TIMEOUT)
			.header("Accept", accept);
	}

	private String send(HttpRequest.Builder request) {
		return new String(sendBytes(request), StandardCharsets.UTF_8);
	}

	private byte[] sendBytes(HttpRequest.Builder request) {
		HttpResponse<byte[]> response;
		try {
			response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw transportFailure(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CliException(ExitCode.FAILED, "Interrupted");
		}
		if (response.statusCode() / 100 != 2) {
			throw Refusal.of(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8), this.command,
					this.config);
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
					"The server at " + server + " did not answer in time (" + ex.getMessage() + "); check its log", ex);
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

	/**
	 * An answer bound to its {@code io.tether.api} record, with the JSON as the server
	 * sent it: {@code -o json} prints that, so that it stays the server's document
	 * (members this CLI does not know included) rather than this CLI's reading of it.
	 *
	 * @param <T> the record
	 * @param value the record
	 * @param json the document as received
	 */
	record Reply<T>(T value, JsonNode json) {
	}

	/**
	 * Binds a response body to its record.
	 * @throws CliException when the body is not JSON or not of the record's shape
	 */
	static <T> Reply<T> bind(String body, Class<T> type) {
		JsonNode json;
		try {
			json = JSON.readTree(body);
		}
		catch (JacksonException ex) {
			json = null;
		}
		if (json == null || !json.isObject()) {
			throw new CliException(ExitCode.FAILED, "The server's answer is not JSON; is this a Tether server?");
		}
		try {
			return new Reply<>(JSON.treeToValue(json, type), json);
		}
		catch (JacksonException ex) {
			throw new CliException(ExitCode.FAILED, "The server's answer is not the " + type.getSimpleName()
					+ " this CLI expects (" + ex.getOriginalMessage() + "); are the CLI and the server of one release?",
					ex);
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
