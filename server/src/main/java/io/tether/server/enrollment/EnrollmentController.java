package io.tether.server.enrollment;

import java.time.Instant;

import io.tether.pki.Pem;
import io.tether.pki.SerialNumbers;
import io.tether.server.admin.ClientCertificates;
import io.tether.server.agent.AgentService;
import io.tether.server.authority.CertificateAuthority;
import io.tether.server.authority.CertificateAuthority.SignedCertificate;
import io.tether.server.issuance.RequestFields;
import io.tether.server.web.ApiException;
import io.tether.server.web.ProblemType;

import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/agents/enroll}: no client certificate; the join token authenticates the
 * agent. Consuming the token, issuing the agent certificate, recording the agent and the
 * audit events are one transaction: a failure leaves the token unused and nothing issued.
 */
@RestController
class EnrollmentController {

	private final JoinTokens tokens;

	private final AgentService agents;

	private final CertificateAuthority authority;

	EnrollmentController(JoinTokens tokens, AgentService agents, CertificateAuthority authority) {
		this.tokens = tokens;
		this.agents = agents;
		this.authority = authority;
	}

	@PostMapping(path = "/v1/agents/enroll", consumes = "application/json")
	@Transactional
	Enrolled enroll(@RequestBody EnrollRequest body) {
		if (body == null || body.joinToken() == null) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'joinToken' and 'csr' are required");
		}
		var csr = RequestFields.csr(body.csr());
		String agent = this.tokens.consume(body.joinToken());
		SignedCertificate signed = this.agents.enroll(agent, csr);
		return new Enrolled(agent, ClientCertificates.spiffeId(signed.certificate()).orElseThrow().toString(),
				SerialNumbers.toHex(signed.certificate().getSerialNumber()),
				signed.certificate().getNotAfter().toInstant(), Pem.write(signed.chain()),
				Pem.write(this.authority.trustAnchors()));
	}

	record EnrollRequest(String joinToken, String csr) {
	}

	record Enrolled(String agent, String spiffeId, String serialNumber, Instant notAfter, String certificateChain,
			String bundle) {
	}

}
