package io.tether.server.agent;

import io.tether.api.AgentIssued;
import io.tether.api.ProblemType;
import io.tether.api.ReattestRequest;
import io.tether.pki.Pem;
import io.tether.pki.SerialNumbers;
import io.tether.pki.Thumbprints;
import io.tether.server.authority.CertificateAuthority;
import io.tether.server.authority.CertificateAuthority.SignedCertificate;
import io.tether.server.web.ApiException;
import io.tether.server.web.RequestFields;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/agents/reattest}: no client certificate, since the agent's own has
 * expired and would fail the handshake; the CSR signed with that certificate's key
 * authenticates the agent, {@link Reattestations} decides.
 */
@RestController
class AgentReattestController {

	private final Reattestations reattestations;

	private final CertificateAuthority authority;

	AgentReattestController(Reattestations reattestations, CertificateAuthority authority) {
		this.reattestations = reattestations;
		this.authority = authority;
	}

	@PostMapping(path = "/v1/agents/reattest", consumes = "application/json")
	AgentIssued reattest(@RequestBody ReattestRequest body) {
		if (body == null || body.agent() == null) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'agent', 'certificate' and 'csr' are required");
		}
		var presented = RequestFields.certificate("certificate", body.certificate());
		var csr = RequestFields.csr(body.csr());
		SignedCertificate signed = this.reattestations.reattest(body.agent(), presented, csr);
		return new AgentIssued(null, SerialNumbers.toHex(signed.certificate().getSerialNumber()),
				signed.certificate().getNotBefore().toInstant(), signed.certificate().getNotAfter().toInstant(),
				Thumbprints.x5tS256(signed.certificate()), Pem.write(signed.chain()),
				Pem.write(this.authority.trustAnchors()));
	}

}
