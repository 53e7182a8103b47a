package io.tether.server.enrollment;

import io.tether.pki.Csr;
import io.tether.server.agent.AgentService;
import io.tether.server.authority.CertificateAuthority.SignedCertificate;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Enrollment: consuming the join token, issuing the agent certificate, recording the
 * agent and the audit events are one transaction, so a failure anywhere leaves the token
 * unused and nothing issued.
 */
@Service
class Enrollments {

	private final JoinTokens tokens;

	private final AgentService agents;

	Enrollments(JoinTokens tokens, AgentService agents) {
		this.tokens = tokens;
		this.agents = agents;
	}

	record Enrolled(String agent, SignedCertificate signed) {
	}

	@Transactional
	Enrolled enroll(String joinToken, Csr csr) {
		String agent = this.tokens.consume(joinToken);
		return new Enrolled(agent, this.agents.enroll(agent, csr));
	}

}
