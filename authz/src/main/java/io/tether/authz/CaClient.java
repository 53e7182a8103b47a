package io.tether.authz;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import io.tether.api.CertificateStatus;
import io.tether.pki.Pem;
import io.tether.workload.CredentialSource;
import io.tether.workload.TetherSsl;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to the Tether CA with this server's own certificate (mTLS, reloaded when the
 * agent rotates it): the trust bundle with intermediates, and certificate status.
 */
class CaClient {

	/**
	 * A newer CA may add members to its answers; only the ones this server reads count.
	 */
	private static final JsonMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private final URI ca;

	private final HttpClient http;

	CaClient(URI ca, CredentialSource credentials) {
		this.ca = ca;
		this.http = HttpClient.newBuilder()
			.sslContext(TetherSsl.context(credentials))
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	/** Roots first, then the active intermediate(s). */
	List<X509Certificate> bundleWithIntermediates() throws IOException {
		return Pem.readCertificates(get("/v1/bundle?intermediates=true"));
	}

	/**
	 * {@code GET /v1/certificates/status}: {@code status} is valid, expired, revoked or
	 * unknown.
	 */
	CertificateStatus status(String x5tS256) throws IOException {
		return JSON.readValue(get("/v1/certificates/status?x5tS256=" + x5tS256), CertificateStatus.class);
	}

	private String get(String path) throws IOException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.ca + path))
			.timeout(Duration.ofSeconds(10))
			.build();
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IOException(
						"The CA answered " + response.statusCode() + " to " + path + ": " + response.body());
			}
			return response.body();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted asking the CA", ex);
		}
	}

}
