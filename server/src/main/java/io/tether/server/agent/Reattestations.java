package io.tether.server.agent;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import io.tether.api.ProblemType;
import io.tether.pki.Csr;
import io.tether.pki.SerialNumbers;
import io.tether.pki.SpiffeId;
import io.tether.server.TetherProperties;
import io.tether.server.audit.AuditLog;
import io.tether.server.authority.CertificateAuthority.SignedCertificate;
import io.tether.server.certificate.Certificates;
import io.tether.server.identity.AgentNames;
import io.tether.server.issuance.IssuanceRequest;
import io.tether.server.issuance.IssuanceService;
import io.tether.server.web.ApiException;
import io.tether.server.web.RequestFields;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Brings back an agent whose own certificate expired while it was away: it proves
 * possession of the key of its last certificate, and gets a new certificate for the same
 * SPIFFE ID and key, within {@code tether.agent.reattest-grace} of that certificate's
 * expiry.
 * <p>
 * The certificate is recognised by this CA's own records (serial number and exact DER),
 * never by its chain: the intermediate that signed it may have been rotated and retired
 * meanwhile. Every check runs before anything is written, under the agent's and the
 * certificate's row locks in the order renewal and eviction take them, so an eviction or
 * revocation cannot slip in between.
 */
@Service
class Reattestations {

	private final AgentRepository agents;

	private final Certificates certificates;

	private final IssuanceService issuance;

	private final AuditLog audit;

	private final TetherProperties properties;

	private final Clock clock;

	Reattestations(AgentRepository agents, Certificates certificates, IssuanceService issuance, AuditLog audit,
			TetherProperties properties, Clock clock) {
		this.agents = agents;
		this.certificates = certificates;
		this.issuance = issuance;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Re-issues an agent's certificate for the key of the one it presents. A certificate
	 * that has not expired yet is accepted too: the proof is the same as renewal's over
	 * mTLS, and an agent whose clock runs ahead of the server's is not turned away.
	 * @param name the agent's name
	 * @param presented its last certificate
	 * @param csr a CSR signed with that certificate's key
	 * @return the new certificate
	 * @throws ApiException naming the refusal; nothing is written then
	 */
	@Transactional
	SignedCertificate reattest(String name, X509Certificate presented, Csr csr) {
		AgentNames.validate(name);
		SpiffeId id = AgentNames.spiffeId(this.properties.trustDomain(), name);
		String serial = SerialNumbers.toHex(presented.getSerialNumber());
		AgentEntity agent = this.agents.findForUpdateByName(name).orElseThrow(() -> notAgent(name, serial));
		// only the holder of the key learns more than "not this agent's", eviction
		// included
		Certificates.Recorded recorded = this.certificates.findForUpdate(serial)
			.filter((record) -> record.spiffeId().equals(id.toString()) && agent.getSpiffeId().equals(record.spiffeId())
					&& Arrays.equals(encoded(record.certificate()), encoded(presented)))
			.orElseThrow(() -> notAgent(name, serial));
		requireProofOfPossession(presented, csr);
		if (agent.getStatus() != AgentEntity.Status.ACTIVE) {
			throw new ApiException(ProblemType.AGENT_EVICTED, "Agent '" + name + "' was evicted: it can neither "
					+ "re-attest nor re-enroll under this name; enroll the host with a join token for a new name");
		}
		if (recorded.revoked()) {
			throw new ApiException(ProblemType.CERTIFICATE_REVOKED, "The agent certificate " + serial
					+ " was revoked: it cannot re-attest; enroll the agent again with a new join token");
		}
		requireCurrentKey(agent, presented);
		Instant now = this.clock.instant();
		Instant notAfter = presented.getNotAfter().toInstant();
		Duration grace = this.properties.agent().reattestGrace();
		if (now.isAfter(notAfter.plus(grace))) {
			throw new ApiException(ProblemType.REATTEST_GRACE_PASSED,
					"The agent certificate " + serial + " expired at " + notAfter + ", more than " + grace
							+ " (tether.agent.reattest-grace) ago: enroll the agent again with a new join token");
		}
		SignedCertificate signed = this.issuance
			.issue(IssuanceRequest.agentIdentity(csr, id, this.properties.agent().ttl()));
		X509Certificate certificate = signed.certificate();
		agent.certificateIssued(SerialNumbers.toHex(certificate.getSerialNumber()),
				certificate.getNotAfter().toInstant(), now);
		this.agents.save(agent);
		this.audit.record(id.toString(), "agent.reattested", name, "serial=" + agent.getCertificateSerial()
				+ " previousSerial=" + serial + " previousNotAfter=" + notAfter);
		return signed;
	}

	/**
	 * The CSR's signature proves possession of its key; that key must be the
	 * certificate's. Checked here, before eviction is told, rather than by the issuance
	 * policy afterwards.
	 */
	private static void requireProofOfPossession(X509Certificate presented, Csr csr) {
		RequestFields.requireProofOfPossession(csr);
		if (!Arrays.equals(csr.publicKey().getEncoded(), presented.getPublicKey().getEncoded())) {
			throw new ApiException(ProblemType.KEY_MISMATCH,
					"The CSR's key is not the key of the agent certificate "
							+ SerialNumbers.toHex(presented.getSerialNumber())
							+ ": re-attestation keeps the key the agent already holds");
		}
	}

	/**
	 * A key the agent has replaced since (a renewal with a new key, a re-enrollment) does
	 * not come back through an older certificate.
	 */
	private void requireCurrentKey(AgentEntity agent, X509Certificate presented) {
		String current = agent.getCertificateSerial();
		if (current.equals(SerialNumbers.toHex(presented.getSerialNumber()))) {
			return;
		}
		boolean sameKey = this.certificates.findForUpdate(current)
			.map((record) -> Arrays.equals(record.certificate().getPublicKey().getEncoded(),
					presented.getPublicKey().getEncoded()))
			.orElse(false);
		if (!sameKey) {
			throw new ApiException(ProblemType.NOT_AGENT,
					"The agent certificate " + SerialNumbers.toHex(presented.getSerialNumber()) + " holds a key agent '"
							+ agent.getName() + "' no longer uses: its current certificate is " + current);
		}
	}

	private static ApiException notAgent(String name, String serial) {
		return new ApiException(ProblemType.NOT_AGENT,
				"The certificate " + serial + " is not an agent certificate this CA issued to agent '" + name + "'");
	}

	private static byte[] encoded(X509Certificate certificate) {
		try {
			return certificate.getEncoded();
		}
		catch (CertificateEncodingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
