package io.tether.server.agent;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import io.tether.api.AgentIssued;
import io.tether.api.CsrRequest;
import io.tether.api.EntryCsrRequest;
import io.tether.api.EntryList;
import io.tether.api.JwtSvid;
import io.tether.api.JwtSvidRequest;
import io.tether.api.ProblemType;
import io.tether.pki.Pem;
import io.tether.pki.SerialNumbers;
import io.tether.pki.SpiffeId;
import io.tether.pki.Thumbprints;
import io.tether.server.authority.CertificateAuthority.SignedCertificate;
import io.tether.server.authority.CertificateAuthority;
import io.tether.server.issuance.IssuanceRequest;
import io.tether.server.issuance.RegisteredEntries;
import io.tether.server.jwt.JwtAuthority;
import io.tether.server.registration.Entries;
import io.tether.server.security.AgentOnly;
import io.tether.server.security.CallingAgent;
import io.tether.server.security.ClientCertificates;
import io.tether.server.web.ApiException;
import io.tether.server.web.RequestFields;
import jakarta.servlet.http.HttpServletRequest;

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

	private final Entries entries;

	private final CertificateAuthority authority;

	AgentSelfController(AgentService agents, Entries entries, CertificateAuthority authority) {
		this.agents = agents;
		this.entries = entries;
		this.authority = authority;
	}

	@PostMapping(path = "/renew", consumes = "application/json")
	AgentIssued renew(@RequestBody CsrRequest body, HttpServletRequest http) {
		String agent = CallingAgent.name(http);
		SignedCertificate signed = this.agents.renew(agent, presented(http),
				RequestFields.csr((body != null) ? body.csr() : null));
		return issued(signed, null);
	}

	@GetMapping("/entries")
	EntryList entries(HttpServletRequest http) {
		return new EntryList(this.entries.list(CallingAgent.name(http)));
	}

	/**
	 * Whether the entry is this agent's is a rule of the agent-workload policy; a missing
	 * entry is reported the same way, so that agents cannot probe for each other's.
	 */
	@PostMapping(path = "/certificates", consumes = "application/json")
	AgentIssued issue(@RequestBody EntryCsrRequest body, HttpServletRequest http) {
		String agent = CallingAgent.name(http);
		if (body == null || body.entryId() == null) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'entryId' and 'csr' are required");
		}
		var csr = RequestFields.csr(body.csr());
		RegisteredEntries.RegisteredEntry entry = this.entries.find(body.entryId())
			.orElseThrow(() -> new ApiException(ProblemType.ENTRY_NOT_ASSIGNED,
					"Entry " + body.entryId() + " is not assigned to agent '" + agent + "'"));
		SignedCertificate signed = this.agents.issueWorkload(agent, presented(http),
				IssuanceRequest.forEntry(csr, entry, ClientCertificates.caller(http)));
		return issued(signed, entry.id());
	}

	/**
	 * A JWT-SVID for one of this agent's entries and one of that entry's audiences.
	 */
	@PostMapping(path = "/jwt-svids", consumes = "application/json")
	JwtSvid jwtSvid(@RequestBody JwtSvidRequest body, HttpServletRequest http) {
		String agent = CallingAgent.name(http);
		if (body == null || body.spiffeId() == null || body.audience() == null) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'spiffeId' and 'audience' are required");
		}
		SpiffeId spiffeId = RequestFields.spiffeId(body.spiffeId());
		String audience = RequestFields.audience("audience", body.audience());
		JwtAuthority.SignedJwt signed = this.agents.issueJwtSvid(agent, presented(http), spiffeId, audience,
				ClientCertificates.caller(http));
		return new JwtSvid(spiffeId.toString(), audience, signed.token(), signed.kid(), signed.issuedAt(),
				signed.expiresAt());
	}

	private static X509Certificate presented(HttpServletRequest http) {
		return ClientCertificates.leaf(http)
			.orElseThrow(() -> new IllegalStateException("No client certificate on an authenticated agent call"));
	}

	private AgentIssued issued(SignedCertificate signed, String entryId) {
		return new AgentIssued(entryId, SerialNumbers.toHex(signed.certificate().getSerialNumber()),
				signed.certificate().getNotBefore().toInstant(), signed.certificate().getNotAfter().toInstant(),
				Thumbprints.x5tS256(signed.certificate()), Pem.write(signed.chain()),
				Pem.write(this.authority.trustAnchors()));
	}

}
