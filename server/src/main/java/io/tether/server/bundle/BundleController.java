package io.tether.server.bundle;

import io.tether.pki.Pem;
import io.tether.server.authority.CertificateAuthority;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/bundle}, public: the PEM of every CA certificate workloads must trust.
 * Intermediates are not trust anchors; they travel in each certificate's chain.
 */
@RestController
class BundleController {

	static final String PEM_FILE = "application/x-pem-file";

	private final CertificateAuthority authority;

	BundleController(CertificateAuthority authority) {
		this.authority = authority;
	}

	@GetMapping(path = "/v1/bundle", produces = { PEM_FILE, "text/plain" })
	ResponseEntity<String> bundle() {
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noCache())
			.header("Content-Type", PEM_FILE)
			.body(Pem.write(this.authority.trustAnchors()));
	}

}
