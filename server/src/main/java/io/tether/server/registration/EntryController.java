package io.tether.server.registration;

import java.time.Duration;
import java.util.List;

import io.tether.api.Entry;
import io.tether.api.EntryDeletion;
import io.tether.api.EntryList;
import io.tether.api.EntryRequest;
import io.tether.api.ProblemType;
import io.tether.pki.SpiffeId;
import io.tether.server.TetherProperties;
import io.tether.server.identity.AgentNames;
import io.tether.server.security.RequiresRole;
import io.tether.server.security.Role;
import io.tether.server.security.ClientCertificates;
import io.tether.server.web.ApiException;
import io.tether.server.web.RequestFields;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/entries} (read: role auditor; write: role operator): registration entries,
 * kept by {@link Entries}.
 */
@RestController
@RequestMapping("/v1/entries")
@RequiresRole(Role.OPERATOR)
class EntryController {

	private final Entries entries;

	private final TetherProperties properties;

	EntryController(Entries entries, TetherProperties properties) {
		this.entries = entries;
		this.properties = properties;
	}

	@PostMapping(consumes = "application/json")
	ResponseEntity<Entry> create(@RequestBody EntryRequest body, HttpServletRequest http) {
		if (body == null || body.agent() == null) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'agent' is required");
		}
		SpiffeId spiffeId = RequestFields.spiffeId(body.spiffeId());
		String agent = AgentNames.validate(body.agent());
		List<String> dnsNames = RequestFields.dnsNames(body.dnsNames());
		Duration ttl = RequestFields.ttl(body.ttl(), this.properties.issuance().defaultTtl());
		Entry created = this.entries.create(spiffeId, agent, dnsNames, ttl, RequestFields.subject(body.subject()),
				RequestFields.audiences(body.audiences()), ClientCertificates.caller(http));
		return ResponseEntity.status(HttpStatus.CREATED).body(created);
	}

	@RequiresRole(Role.AUDITOR)
	@GetMapping
	EntryList list(@RequestParam(required = false) String agent) {
		return new EntryList(this.entries.list(agent));
	}

	@RequiresRole(Role.AUDITOR)
	@GetMapping("/{id}")
	Entry get(@PathVariable String id) {
		return this.entries.get(id);
	}

	/**
	 * @param revoke also revoke the certificates the entry's agent obtained for it that
	 * are still good; checked before anything is deleted
	 */
	@DeleteMapping("/{id}")
	EntryDeletion delete(@PathVariable String id, @RequestParam(required = false) String revoke,
			HttpServletRequest http) {
		return this.entries.delete(id, RequestFields.flag("revoke", revoke), ClientCertificates.caller(http));
	}

}
