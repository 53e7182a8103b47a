package io.tether.server.agent;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.tether.api.Entry;
import io.tether.api.ProblemType;
import io.tether.pki.Csr;
import io.tether.pki.SerialNumbers;
import io.tether.pki.SpiffeId;
import io.tether.server.TetherProperties;
import io.tether.server.audit.AuditLog;
import io.tether.server.authority.CertificateAuthority.SignedCertificate;
import io.tether.server.certificate.Revocations;
import io.tether.server.identity.AgentNames;
import io.tether.server.issuance.IssuanceRequest;
import io.tether.server.issuance.IssuanceService;
import io.tether.server.jwt.JwtAuthority;
import io.tether.server.registration.Entries;
import io.tether.server.security.AgentAuthenticator;
import io.tether.server.web.ApiException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Agents' own identities: issued at enrollment, renewed over mTLS, and checked on every
 * agent call.
 */
@Service
public class AgentService implements AgentAuthenticator {

	/** Last-seen is written at most this often, not on every call. */
	static final Duration LAST_SEEN_RESOLUTION = Duration.ofSeconds(30);

	private final AgentRepository agents;

	private final IssuanceService issuance;

	private final Revocations revocations;

	private final AuditLog audit;

	private final TetherProperties properties;

	private final Clock clock;

	private final Entries entries;

	private final JwtAuthority jwtAuthority;

	private final JwtSvidMetrics jwtMetrics;

	AgentService(AgentRepository agents, IssuanceService issuance, Revocations revocations, AuditLog audit,
			TetherProperties properties, Clock clock, Entries entries, JwtAuthority jwtAuthority,
			JwtSvidMetrics jwtMetrics) {
		this.entries = entries;
		this.jwtAuthority = jwtAuthority;
		this.jwtMetrics = jwtMetrics;
		this.agents = agents;
		this.issuance = issuance;
		this.revocations = revocations;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Issues the agent certificate of a newly joined (or re-joining) agent. Runs in the
	 * transaction that consumed the join token.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public SignedCertificate enroll(String name, Csr csr) {
		AgentEntity agent = this.agents.findById(name).orElse(null);
		if (agent != null && agent.getStatus() != AgentEntity.Status.ACTIVE) {
			throw new ApiException(ProblemType.NOT_AGENT, "Agent '" + name + "' was evicted and cannot re-enroll");
		}
		SpiffeId id = AgentNames.spiffeId(this.properties.trustDomain(), name);
		SignedCertificate signed = issueIdentity(id, csr);
		Instant now = this.clock.instant();
		if (agent == null) {
			agent = new AgentEntity(name, id.toString(), now);
		}
		record(agent, signed.certificate(), now);
		this.audit.record(id.toString(), (agent.getEnrolledAt().equals(now)) ? "agent.enrolled" : "agent.re-enrolled",
				name, "serial=" + agent.getCertificateSerial());
		return signed;
	}

	/**
	 * Renews an agent's own certificate; the certificate it presented is checked again
	 * under lock in this transaction, so a revocation cannot slip in between.
	 */
	@Transactional
	public SignedCertificate renew(String name, X509Certificate presented, Csr csr) {
		AgentEntity agent = active(name);
		this.revocations.requireUnrevokedForUpdate(presented);
		SpiffeId id = AgentNames.spiffeId(this.properties.trustDomain(), name);
		SignedCertificate signed = issueIdentity(id, csr);
		record(agent, signed.certificate(), this.clock.instant());
		return signed;
	}

	/**
	 * Checks that an agent presenting a valid certificate is still enrolled and active,
	 * and that the certificate itself is not revoked. Writes nothing: a request refused
	 * later must leave no trace.
	 */
	@Override
	@Transactional(readOnly = true)
	public void authenticate(String name, X509Certificate certificate) {
		AgentEntity agent = this.agents.findById(name)
			.orElseThrow(() -> new ApiException(ProblemType.NOT_AGENT, "Agent '" + name + "' is not enrolled"));
		if (agent.getStatus() != AgentEntity.Status.ACTIVE) {
			// an evicted agent is told so, before being told its certificates were
			// revoked
			throw new ApiException(ProblemType.NOT_AGENT, "Agent '" + name + "' was evicted");
		}
		this.revocations.requireUnrevoked(certificate);
	}

	/**
	 * Notes that an agent made a successful call, at most every
	 * {@link #LAST_SEEN_RESOLUTION}.
	 */
	@Override
	@Transactional
	public void seen(String name) {
		Instant now = this.clock.instant();
		this.agents.findById(name)
			.filter((agent) -> agent.getLastSeenAt().plus(LAST_SEEN_RESOLUTION).isBefore(now))
			.ifPresent((agent) -> agent.seen(now));
	}

	/**
	 * Evicts an agent: it can no longer renew, obtain certificates or re-enroll, and
	 * every certificate it obtained (its own and its workloads') is revoked, in one
	 * transaction.
	 * @return how many certificates were revoked
	 */
	@Transactional
	public int evict(String name, String caller) {
		AgentEntity agent = this.agents.findForUpdateByName(name)
			.orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No agent named '" + name + "'"));
		if (agent.getStatus() == AgentEntity.Status.EVICTED) {
			throw new ApiException(ProblemType.CONFLICT, "Agent '" + name + "' is already evicted");
		}
		agent.evict();
		this.agents.save(agent);
		int revoked = this.revocations.revokeAllRequestedBy(agent.getSpiffeId(), "cessationOfOperation", caller);
		this.audit.record(caller, "agent.evicted", name, "revokedCertificates=" + revoked);
		return revoked;
	}

	@Transactional(readOnly = true)
	public long count() {
		return this.agents.count();
	}

	@Transactional(readOnly = true)
	public long activeCount() {
		return this.agents.countByStatus(AgentEntity.Status.ACTIVE);
	}

	@Transactional(readOnly = true)
	List<AgentEntity> list() {
		return this.agents.findAllByOrderByNameAsc();
	}

	@Transactional(readOnly = true)
	AgentEntity get(String name) {
		return this.agents.findById(name)
			.orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No agent named '" + name + "'"));
	}

	/**
	 * Issues a workload certificate for an active agent, through the ledger's group
	 * commit. The agent's status and its certificate's are checked again under their row
	 * locks, in the transaction that records the certificate, so a certificate cannot
	 * slip in after an eviction or a revocation has committed.
	 */
	public SignedCertificate issueWorkload(String name, X509Certificate presented, IssuanceRequest request) {
		return this.issuance.issueGroupCommitted(request, () -> {
			active(name);
			this.revocations.requireUnrevokedForUpdate(presented);
		});
	}

	/**
	 * A JWT-SVID for one of the agent's entries: the agent must be active and its
	 * certificate unrevoked, one of its entries must name the SPIFFE ID, and that entry
	 * must list the audience. Counted and audited ({@code jwt-svid.issued}).
	 * @throws ApiException {@code entry-not-assigned} when no entry of this agent names
	 * the SPIFFE ID, {@code audience-not-allowed} when none lists the audience
	 */
	@Transactional
	public JwtAuthority.SignedJwt issueJwtSvid(String name, X509Certificate presented, SpiffeId spiffeId,
			String audience, String caller) {
		return this.jwtMetrics.record(() -> {
			active(name);
			this.revocations.requireUnrevokedForUpdate(presented);
			List<Entry> entries = this.entries.list(name)
				.stream()
				.filter((entry) -> entry.spiffeId().equals(spiffeId.toString()))
				.toList();
			if (entries.isEmpty()) {
				throw new ApiException(ProblemType.ENTRY_NOT_ASSIGNED,
						"Agent '" + name + "' has no entry for " + spiffeId);
			}
			if (entries.stream().noneMatch((entry) -> entry.audiences().contains(audience))) {
				throw new ApiException(ProblemType.AUDIENCE_NOT_ALLOWED,
						"The entry of agent '" + name + "' for " + spiffeId + " does not list audience '" + audience
								+ "'; it lists " + entries.get(0).audiences());
			}
			JwtAuthority.SignedJwt signed = this.jwtAuthority.sign(spiffeId, audience);
			this.audit.record(caller, "jwt-svid.issued", spiffeId.toString(), "audience=" + audience + " kid="
					+ signed.kid() + " jti=" + signed.jti() + " expiresAt=" + signed.expiresAt() + " agent=" + name);
			return signed;
		});
	}

	private AgentEntity active(String name) {
		AgentEntity agent = this.agents.findForUpdateByName(name)
			.orElseThrow(() -> new ApiException(ProblemType.NOT_AGENT, "Agent '" + name + "' is not enrolled"));
		if (agent.getStatus() != AgentEntity.Status.ACTIVE) {
			throw new ApiException(ProblemType.NOT_AGENT, "Agent '" + name + "' was evicted");
		}
		return agent;
	}

	private SignedCertificate issueIdentity(SpiffeId id, Csr csr) {
		return this.issuance.issue(IssuanceRequest.agentIdentity(csr, id, this.properties.agent().ttl()));
	}

	private void record(AgentEntity agent, X509Certificate certificate, Instant now) {
		agent.certificateIssued(SerialNumbers.toHex(certificate.getSerialNumber()),
				certificate.getNotAfter().toInstant(), now);
		this.agents.save(agent);
	}

}
