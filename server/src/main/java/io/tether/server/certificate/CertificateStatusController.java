package io.tether.server.certificate;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;

import io.tether.api.CertificateStatus;
import io.tether.api.ProblemType;
import io.tether.pki.Thumbprints;
import io.tether.server.security.ClientCertificates;
import io.tether.server.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/certificates/status?x5tS256=...}: what a token issuer or a resource
 * server asks before trusting a certificate it was shown. Any client certificate of this
 * CA may ask, as long as it is not revoked itself; the TLS handshake has already checked
 * that it chains to the bundle.
 */
@RestController
class CertificateStatusController {

	private final Certificates certificates;

	private final Clock clock;

	CertificateStatusController(Certificates certificates, Clock clock) {
		this.certificates = certificates;
		this.clock = clock;
	}

	@GetMapping("/v1/certificates/status")
	CertificateStatus status(@RequestParam String x5tS256, HttpServletRequest http) {
		X509Certificate caller = ClientCertificates.leaf(http)
			.orElseThrow(() -> new ApiException(ProblemType.CLIENT_CERTIFICATE_REQUIRED,
					"Certificate status is for holders of a certificate of this CA; present one over mTLS"));
		this.certificates.findByX5tS256(Thumbprints.x5tS256(caller))
			.filter((record) -> record.getStatus() == CertificateRecord.Status.REVOKED)
			.ifPresent((record) -> {
				throw new ApiException(ProblemType.CERTIFICATE_REVOKED, "The client certificate "
						+ record.getSerialNumber() + " was revoked at " + record.getRevokedAt());
			});
		if (!x5tS256.matches("[A-Za-z0-9_-]{43}")) {
			throw new ApiException(ProblemType.BAD_REQUEST,
					"'x5tS256' must be the base64url SHA-256 thumbprint of a certificate (43 characters)");
		}
		Instant now = this.clock.instant();
		return this.certificates.findByX5tS256(x5tS256)
			.map((record) -> CertificateViews.status(record, now))
			.orElseGet(() -> new CertificateStatus(x5tS256, false, "unknown", null, null, null, null, null, null));
	}

}
