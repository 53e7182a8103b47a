package io.tether.server.issuance;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.tether.api.IssueRequest;
import io.tether.api.IssuedCertificate;
import io.tether.api.ProblemType;
import io.tether.pki.Pem;
import io.tether.pki.SerialNumbers;
import io.tether.pki.Thumbprints;
import io.tether.server.TetherProperties;
import io.tether.server.authority.CertificateAuthority.SignedCertificate;
import io.tether.server.certificate.CertificateLedger;
import io.tether.server.security.RequiresRole;
import io.tether.server.security.Role;
import io.tether.server.security.ClientCertificates;
import io.tether.server.web.ApiException;
import io.tether.server.web.RequestFields;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/certificates}: an admin asks for a certificate for a CSR. The response
 * is written only after the certificate and its audit event are committed.
 */
@RestController
@RequiresRole(Role.OPERATOR)
class IssuanceController {

	private final IssuanceService issuance;

	private final Duration defaultTtl;

	IssuanceController(IssuanceService issuance, TetherProperties properties) {
		this.issuance = issuance;
		this.defaultTtl = properties.issuance().defaultTtl();
	}

	@PostMapping(path = "/v1/certificates", consumes = "application/json")
	ResponseEntity<IssuedCertificate> issue(@RequestBody IssueRequest body, HttpServletRequest http) {
		if (body == null) {
			throw new ApiException(ProblemType.BAD_REQUEST, "The request body must be a JSON object");
		}
		IssuanceRequest request = new IssuanceRequest(RequestFields.csr(body.csr()),
				RequestFields.spiffeId(body.spiffeId()), RequestFields.dnsNames(body.dnsNames()),
				RequestFields.ttl(body.ttl(), this.defaultTtl), ClientCertificates.caller(http));
		SignedCertificate signed = this.issuance.issueGroupCommitted(request, CertificateLedger.Guard.NONE);
		String serial = SerialNumbers.toHex(signed.certificate().getSerialNumber());
		IssuedCertificate issued = new IssuedCertificate(serial, request.spiffeId().toString(), request.dnsNames(),
				signed.certificate().getNotBefore().toInstant(), signed.certificate().getNotAfter().toInstant(),
				Thumbprints.x5tS256(signed.certificate()), Pem.write(signed.chain()));
		return ResponseEntity.created(URI.create("/v1/certificates/" + serial)).body(issued);
	}

}
