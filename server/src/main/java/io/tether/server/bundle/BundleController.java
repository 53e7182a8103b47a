package io.tether.server.bundle;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import io.tether.pki.Pem;
import io.tether.pki.Thumbprints;
import io.tether.server.authority.CertificateAuthority;
import io.tether.server.jwt.JwtAuthority;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/bundle}, public: the PEM of every CA certificate workloads must trust.
 * Intermediates are not trust anchors; they travel in each certificate's chain.
 * <p>
 * Tagged with the SHA-256 of its body, so that the agents that poll it every few seconds
 * ask {@code If-None-Match} and hear a bodiless {@code 304} while nothing changed (Spring
 * answers that by itself for a {@code ResponseEntity} that carries an ETag). The tag
 * depends only on the content, so every replica gives the same one.
 */
@RestController
class BundleController {

	static final String PEM_FILE = "application/x-pem-file";

	private final CertificateAuthority authority;

	private final JwtAuthority jwtAuthority;

	BundleController(CertificateAuthority authority, JwtAuthority jwtAuthority) {
		this.authority = authority;
		this.jwtAuthority = jwtAuthority;
	}

	/**
	 * @param intermediates also the active intermediate and those retiring after a
	 * rotation, after the roots: for relying parties that must accept clients sending
	 * only their leaf (RFC 8705 token issuers), whichever intermediate signed it
	 */
	@GetMapping(path = "/v1/bundle", produces = { PEM_FILE, "text/plain" })
	ResponseEntity<String> bundle(@RequestParam(defaultValue = "false") boolean intermediates) {
		List<X509Certificate> certificates = new ArrayList<>(this.authority.trustAnchors());
		if (intermediates) {
			certificates.addAll(this.authority.validIntermediates());
		}
		return tagged(Pem.write(certificates), PEM_FILE);
	}

	/**
	 * {@code GET /v1/bundle/spiffe}, public: the roots of {@link #bundle} as a SPIFFE
	 * trust bundle (a JWK Set), for SPIFFE implementations that federate with this trust
	 * domain or load a bundle from a file. Its {@code spiffe_sequence} grows with every
	 * rotation step and with every JWT authority key published or withdrawn, and is the
	 * same on every replica once it has reloaded the hierarchy. The JWT authority's keys
	 * ({@code use} {@code jwt-svid}) follow the roots.
	 */
	@GetMapping(path = "/v1/bundle/spiffe", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<String> spiffe() {
		return tagged(SpiffeBundle.write(this.authority.trustAnchors(), this.jwtAuthority.published(),
				this.authority.bundleSequence() + this.jwtAuthority.sequence(), this.authority.bundleRefreshHint()),
				MediaType.APPLICATION_JSON_VALUE);
	}

	private static ResponseEntity<String> tagged(String body, String contentType) {
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noCache())
			.eTag("\"" + Thumbprints.sha256Hex(body.getBytes(StandardCharsets.UTF_8)) + "\"")
			.header("Content-Type", contentType)
			.body(body);
	}

}
