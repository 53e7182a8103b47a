package io.tether.pki.testing;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tether.pki.TlsContexts;

/**
 * What a person's browser does at an authorization server's sign-in: keeps cookies,
 * follows redirects one by one, and fills in Spring Security's sign-in form (user name,
 * password and its CSRF token) once. It stops at the first redirect that leaves the
 * server, such as the client's loopback callback carrying the authorization code, without
 * following it.
 */
public final class SignInBrowser implements AutoCloseable {

	private static final Pattern INPUT = Pattern.compile("<input[^>]*>");

	private static final Pattern VALUE = Pattern.compile("value=\"([^\"]*)\"");

	private static final Pattern ACTION = Pattern.compile("<form[^>]*action=\"([^\"]*)\"");

	private final HttpClient http;

	/**
	 * @param trustAnchors what the server's certificate must chain to
	 */
	public SignInBrowser(List<X509Certificate> trustAnchors) {
		this.http = HttpClient.newBuilder()
			.sslContext(TlsContexts.trusting(trustAnchors))
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	/**
	 * Where the browser ended.
	 *
	 * @param status the last response's status
	 * @param uri where it pointed: the redirect that left the server, else the page's own
	 * address
	 * @param body the last page, when it stopped at one
	 */
	public record Landing(int status, URI uri, String body) {

		/** Whether it was sent away from the server (to the client). */
		public boolean leftServer(URI start) {
			return !Objects.equals(origin(this.uri), origin(start));
		}

		/** A query parameter of {@link #uri}, decoded, or {@code null}. */
		public String parameter(String name) {
			String query = this.uri.getRawQuery();
			if (query == null) {
				return null;
			}
			for (String pair : query.split("&")) {
				int equals = pair.indexOf('=');
				String key = (equals < 0) ? pair : pair.substring(0, equals);
				if (key.equals(name)) {
					return (equals < 0) ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
				}
			}
			return null;
		}

	}

	/**
	 * Opens {@code start}, signs in when shown the sign-in form (once: shown it again, it
	 * stops there), and follows the server's redirects.
	 * @param start the first address, such as an authorization request
	 * @param user the user name to sign in with
	 * @param password the password
	 * @return where it ended
	 */
	public Landing open(URI start, String user, String password) throws IOException, InterruptedException {
		HttpResponse<String> response = get(start);
		boolean signedIn = false;
		for (int step = 0; step < 10; step++) {
			URI here = response.uri();
			String location = response.headers().firstValue("Location").orElse(null);
			if (response.statusCode() / 100 == 3 && location != null) {
				URI next = here.resolve(location);
				if (!Objects.equals(origin(next), origin(start))) {
					return new Landing(response.statusCode(), next, null);
				}
				response = get(next);
				continue;
			}
			String csrf = hiddenValue(response.body(), "_csrf");
			if (response.statusCode() != 200 || signedIn || csrf == null || !response.body().contains("\"username\"")) {
				return new Landing(response.statusCode(), here, response.body());
			}
			Matcher action = ACTION.matcher(response.body());
			URI target = here.resolve(action.find() ? action.group(1) : here.getPath());
			String form = "username=" + encode(user) + "&password=" + encode(password) + "&_csrf=" + encode(csrf);
			response = this.http.send(HttpRequest.newBuilder(target)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("Accept", "text/html")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build(), HttpResponse.BodyHandlers.ofString());
			signedIn = true;
		}
		throw new IOException("More than 10 steps from " + start);
	}

	private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static String hiddenValue(String html, String name) {
		Matcher inputs = INPUT.matcher(html);
		while (inputs.find()) {
			String input = inputs.group();
			if (input.contains("name=\"" + name + "\"")) {
				Matcher value = VALUE.matcher(input);
				return value.find() ? value.group(1) : null;
			}
		}
		return null;
	}

	private static String origin(URI uri) {
		return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		this.http.close();
	}

}
