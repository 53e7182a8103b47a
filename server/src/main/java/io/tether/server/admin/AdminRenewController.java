package io.tether.server.admin;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

import io.tether.api.CsrRequest;
import io.tether.api.IssuedCertificate;
import io.tether.api.ProblemType;
import io.tether.pki.CertificateProfile;
import io.tether.pki.Csr;
import io.tether.pki.Pem;
import io.tether.pki.SerialNumbers;
import io.tether.pki.Thumbprints;
import io.tether.server.TetherProperties;
import io.tether.server.authority.CertificateAuthority.SignedCertificate;
import io.tether.server.certificate.CertificateIssuer;
import io.tether.server.security.RequiresRole;
import io.tether.server.security.Role;
import io.tether.server.security.ClientCertificates;
import io.tether.server.web.ApiException;
import io.tether.server.web.RequestFields;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/admin/renew} (the bootstrap admin only): a new admin certificate for
 * the key of the one presented, as {@code step ca renew} does: an operator whose CLI runs
 * on another host than the server renews without the server's data directory.
 */
@RestController
@RequiresRole(Role.ADMIN)
class AdminRenewController {

	private final CertificateIssuer issuer;

	private final TetherProperties properties;

	AdminRenewController(CertificateIssuer issuer, TetherProperties properties) {
		this.issuer = issuer;
		this.properties = properties;
	}

	@PostMapping(path = "/v1/admin/renew", consumes = "application/json")
	IssuedCertificate renew(@RequestBody CsrRequest body, HttpServletRequest http) {
		Csr csr = RequestFields.csr((body != null) ? body.csr() : null);
		RequestFields.requireProofOfPossession(csr);
		X509Certificate presentedCertificate = ClientCertificates.leaf(http)
			.orElseThrow(() -> new ApiException(ProblemType.CLIENT_CERTIFICATE_REQUIRED,
					"Present the admin certificate to renew"));
		if (!ClientCertificates.spiffeId(presentedCertificate).map(this.properties.adminId()::equals).orElse(false)) {
			// an admin operator must not turn its key into the bootstrap admin's identity
			throw new ApiException(ProblemType.NOT_ADMIN, "Only the bootstrap admin certificate renews here; "
					+ "operators renew theirs with POST /v1/operators/renew");
		}
		byte[] presented = presentedCertificate.getPublicKey().getEncoded();
		if (!Arrays.equals(presented, csr.publicKey().getEncoded())) {
			throw new ApiException(ProblemType.KEY_MISMATCH, "The CSR's key is not the key of the admin certificate "
					+ "presented: renewal keeps the key (a new key needs the server's data directory)");
		}
		SignedCertificate signed = this.issuer.issue(
				new CertificateProfile.Leaf(this.properties.adminId(), List.of(), this.properties.admin().ttl()),
				csr.publicKey(), ClientCertificates.caller(http));
		return new IssuedCertificate(SerialNumbers.toHex(signed.certificate().getSerialNumber()),
				this.properties.adminId().toString(), List.of(), signed.certificate().getNotBefore().toInstant(),
				signed.certificate().getNotAfter().toInstant(), Thumbprints.x5tS256(signed.certificate()),
				Pem.write(signed.chain()));
	}

}
