package io.tether.server.agent;

import java.time.Instant;
import java.util.List;

import io.tether.pki.Pem;
import io.tether.pki.SerialNumbers;
import io.tether.pki.SpiffeId;
import io.tether.pki.Thumbprints;
import io.tether.server.admin.ClientCertificates;
import io.tether.server.authority.CertificateAuthority;
import io.tether.server.authority.CertificateAuthority.SignedCertificate;
import io.tether.server.issuance.IssuanceRequest;
import io.tether.server.issuance.IssuanceService;
import io.tether.server.issuance.RequestFields;
import io.tether.server.registration.EntryEntity;
import io.tether.server.registration.EntryRepository;
import io.tether.server.registration.EntryView;
import io.tether.server.web.ApiException;
import io.tether.server.web.ProblemType;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What an enrolled agent does with its own certificate: renew it, read its entries, and
 * obtain certificates for them (and only them).
 */
@RestController
@RequestMapping("/v1/agents/self")
@AgentOnly
class AgentSelfController {

	private final AgentService agents;

	private final EntryRepository entries;

	private final IssuanceService issuance;

	private final CertificateAuthority authority;

	AgentSelfController(AgentService agents, EntryRepository entries, IssuanceService issuance,
			CertificateAuthority authority) {
		this.agents = agents;
		this.entries = entries;
		this.issuance = issuance;
		this.authority = authority;
	}

	@PostMapping(path = "/renew", consumes = "application/json")
	Issued renew(@RequestBody CsrRequest body, HttpServletRequest http) {
		String agent = AgentAuthorizationInterceptor.agent(http);
		SignedCertificate signed = this.agents.renew(agent, RequestFields.csr((body != null) ? body.csr() : null));
		return issued(signed, null);
	}

	@GetMapping("/entries")
	@Transactional(readOnly = true)
	EntryList entries(HttpServletRequest http) {
		String agent = AgentAuthorizationInterceptor.agent(http);
		return new EntryList(
				this.entries.findByAgentNameOrderBySpiffeIdAsc(agent).stream().map(EntryView::of).toList());
	}

	@PostMapping(path = "/certificates", consumes = "application/json")
	Issued issue(@RequestBody EntryCsrRequest body, HttpServletRequest http) {
		String agent = AgentAuthorizationInterceptor.agent(http);
		if (body == null || body.entryId() == null) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'entryId' and 'csr' are required");
		}
		var csr = RequestFields.csr(body.csr());
		EntryEntity entry = this.entries.findById(body.entryId())
			.filter((found) -> found.getAgentName().equals(agent))
			// an entry of another agent is reported like a missing one: no probing
			.orElseThrow(() -> new ApiException(ProblemType.ENTRY_NOT_ASSIGNED,
					"Entry " + body.entryId() + " is not assigned to agent '" + agent + "'"));
		SignedCertificate signed = this.agents.issueWorkload(agent,
				new IssuanceRequest(csr, SpiffeId.parse(entry.getSpiffeId()), entry.getDnsNames(), entry.getTtl(),
						ClientCertificates.caller(http), IssuanceRequest.Purpose.AGENT_WORKLOAD));
		return issued(signed, entry.getId());
	}

	private Issued issued(SignedCertificate signed, String entryId) {
		return new Issued(entryId, SerialNumbers.toHex(signed.certificate().getSerialNumber()),
				signed.certificate().getNotBefore().toInstant(), signed.certificate().getNotAfter().toInstant(),
				Thumbprints.x5tS256(signed.certificate()), Pem.write(signed.chain()),
				Pem.write(this.authority.trustAnchors()));
	}

	record CsrRequest(String csr) {
	}

	record EntryCsrRequest(String entryId, String csr) {
	}

	record EntryList(List<EntryView> entries) {
	}

	record Issued(String entryId, String serialNumber, Instant notBefore, Instant notAfter, String x5tS256,
			String certificateChain, String bundle) {
	}

}
