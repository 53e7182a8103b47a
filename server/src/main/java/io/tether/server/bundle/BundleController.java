package io.tether.server.bundle;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import io.tether.pki.Pem;
import io.tether.pki.Thumbprints;
import io.tether.server.authority.CertificateAuthority;

import org.springframework.http.CacheControl;
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

	BundleController(CertificateAuthority authority) {
		this.authority = authority;
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
		String pem = Pem.write(certificates);
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noCache())
			.eTag("\"" + Thumbprints.sha256Hex(pem.getBytes(StandardCharsets.US_ASCII)) + "\"")
			.header("Content-Type", PEM_FILE)
			.body(pem);
	}

}
