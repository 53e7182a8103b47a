package io.tether.server.operator;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

import io.tether.api.CsrRequest;
import io.tether.api.IssuedCertificate;
import io.tether.api.OperatorCreated;
import io.tether.api.OperatorEnrollRequest;
import io.tether.api.OperatorEnrolled;
import io.tether.api.OperatorList;
import io.tether.api.OperatorRequest;
import io.tether.api.OperatorRevocation;
import io.tether.api.OperatorView;
import io.tether.api.ProblemType;
import io.tether.pki.Pem;
import io.tether.pki.SerialNumbers;
import io.tether.pki.Thumbprints;
import io.tether.server.TetherProperties;
import io.tether.server.authority.CertificateAuthority;
import io.tether.server.authority.CertificateAuthority.SignedCertificate;
import io.tether.server.identity.TetherIds;
import io.tether.server.security.ClientCertificates;
import io.tether.server.security.RequiresRole;
import io.tether.server.security.Role;
import io.tether.server.throttle.Throttles;
import io.tether.server.web.ApiException;
import io.tether.server.web.RequestFields;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/operators}: admins create (with a one-time enrollment token), list and
 * revoke operators, and give an operator a new token; an operator enrolls with its token
 * (no client certificate) and renews with its current certificate.
 */
@RestController
class OperatorController {

	private final Operators operators;

	private final CertificateAuthority authority;

	private final TetherProperties properties;

	private final Throttles throttles;

	OperatorController(Operators operators, CertificateAuthority authority, TetherProperties properties,
			Throttles throttles) {
		this.operators = operators;
		this.authority = authority;
		this.properties = properties;
		this.throttles = throttles;
	}

	@RequiresRole(Role.ADMIN)
	@PostMapping(path = "/v1/operators", consumes = "application/json")
	@ResponseStatus(HttpStatus.CREATED)
	OperatorCreated create(@RequestBody OperatorRequest body, HttpServletRequest http) {
		if (body == null || body.name() == null || body.role() == null) {
			throw new ApiException(ProblemType.BAD_REQUEST,
					"'name' and 'role' (admin, operator or auditor) are required");
		}
		Operators.Created created = this.operators.create(body.name(), body.role(), ClientCertificates.caller(http));
		return new OperatorCreated(created.operator().getName(), created.operator().getRole().id(), created.token(),
				created.operator().getTokenExpiresAt());
	}

	@RequiresRole(Role.AUDITOR)
	@GetMapping("/v1/operators")
	OperatorList list() {
		return new OperatorList(this.operators.list().stream().map(this::view).toList());
	}

	@RequiresRole(Role.AUDITOR)
	@GetMapping("/v1/operators/{name}")
	OperatorView get(@PathVariable String name) {
		return view(this.operators.get(name));
	}

	@RequiresRole(Role.ADMIN)
	@PostMapping("/v1/operators/{name}/token")
	@ResponseStatus(HttpStatus.CREATED)
	OperatorCreated newToken(@PathVariable String name, HttpServletRequest http) {
		Operators.Created created = this.operators.newToken(name, ClientCertificates.caller(http));
		return new OperatorCreated(created.operator().getName(), created.operator().getRole().id(), created.token(),
				created.operator().getTokenExpiresAt());
	}

	@RequiresRole(Role.ADMIN)
	@PostMapping("/v1/operators/{name}/revoke")
	OperatorRevocation revoke(@PathVariable String name, HttpServletRequest http) {
		Operators.Revoked revoked = this.operators.revoke(name, ClientCertificates.caller(http));
		return new OperatorRevocation(view(revoked.operator()), revoked.certificates());
	}

	@PostMapping(path = "/v1/operators/enroll", consumes = "application/json")
	OperatorEnrolled enroll(@RequestBody OperatorEnrollRequest body, HttpServletRequest http) {
		if (body == null || body.token() == null) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'token' and 'csr' are required");
		}
		Operators.Enrolled enrolled;
		try {
			enrolled = this.operators.enroll(body.token(), RequestFields.csr(body.csr()));
		}
		catch (ApiException ex) {
			if (ex.getType() == ProblemType.INVALID_ENROLLMENT_TOKEN) {
				// the same allowance as refused join tokens: counted before the answer
				// leaves, so that the next attempt sees it
				this.throttles.joinTokenRefused(http.getRemoteAddr());
			}
			throw ex;
		}
		X509Certificate certificate = enrolled.signed().certificate();
		return new OperatorEnrolled(enrolled.operator().getName(), enrolled.operator().getRole().id(),
				this.operators.spiffeId(enrolled.operator().getName()).toString(),
				SerialNumbers.toHex(certificate.getSerialNumber()), certificate.getNotAfter().toInstant(),
				Pem.write(enrolled.signed().chain()), Pem.write(this.authority.trustAnchors()));
	}

	@RequiresRole(Role.AUDITOR)
	@PostMapping(path = "/v1/operators/renew", consumes = "application/json")
	IssuedCertificate renew(@RequestBody CsrRequest body, HttpServletRequest http) {
		var csr = RequestFields.csr((body != null) ? body.csr() : null);
		X509Certificate presented = ClientCertificates.leaf(http).orElseThrow();
		String name = ClientCertificates.spiffeId(presented)
			.map((id) -> TetherIds.operatorName(id, this.properties.trustDomain()))
			.orElse(null);
		if (name == null) {
			throw new ApiException(ProblemType.NOT_ADMIN,
					"Only operator certificates renew here; the bootstrap " + "admin renews with POST /v1/admin/renew");
		}
		SignedCertificate signed = this.operators.renew(name, csr, presented);
		return new IssuedCertificate(SerialNumbers.toHex(signed.certificate().getSerialNumber()),
				this.operators.spiffeId(name).toString(), List.of(), signed.certificate().getNotBefore().toInstant(),
				signed.certificate().getNotAfter().toInstant(), Thumbprints.x5tS256(signed.certificate()),
				Pem.write(signed.chain()));
	}

	private OperatorView view(OperatorEntity operator) {
		return new OperatorView(operator.getName(), operator.getRole().id(),
				operator.getState().name().toLowerCase(Locale.ROOT),
				this.operators.spiffeId(operator.getName()).toString(), operator.getCreatedBy(),
				operator.getCreatedAt(), operator.getTokenUsedAt(), operator.getTokenExpiresAt(),
				operator.getRevokedAt());
	}

}
