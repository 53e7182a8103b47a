package io.tether.server.certificate;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.tether.api.CertificateList;
import io.tether.api.CertificateView;
import io.tether.api.ProblemType;
import io.tether.api.RevokeRequest;
import io.tether.pki.SerialNumbers;
import io.tether.server.TetherProperties;
import io.tether.server.identity.AgentNames;
import io.tether.server.security.RequiresRole;
import io.tether.server.security.Role;
import io.tether.server.security.ClientCertificates;
import io.tether.server.web.ApiException;
import io.tether.server.web.RequestFields;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.data.jpa.domain.Specification;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Read access to the certificate records, for admins.
 */
@RestController
@RequestMapping("/v1/certificates")
@RequiresRole(Role.OPERATOR)
class CertificateController {

	private static final int MAX_LIMIT = 1000;

	private final Certificates certificates;

	private final Revocations revocations;

	private final TetherProperties properties;

	private final Clock clock;

	CertificateController(Certificates certificates, Revocations revocations, TetherProperties properties,
			Clock clock) {
		this.certificates = certificates;
		this.revocations = revocations;
		this.properties = properties;
		this.clock = clock;
	}

	@RequiresRole(Role.AUDITOR)
	@GetMapping
	CertificateList list(@RequestParam(required = false) String spiffeId, @RequestParam(required = false) String agent,
			@RequestParam(required = false) String status, @RequestParam(required = false) String expiringWithin,
			@RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'limit' must be between 1 and " + MAX_LIMIT);
		}
		Instant now = this.clock.instant();
		Specification<CertificateRecord> filter = Specification.unrestricted();
		if (spiffeId != null) {
			filter = filter.and(CertificateRepository.hasSpiffeId(spiffeId));
		}
		if (agent != null) {
			String requester = AgentNames.spiffeId(this.properties.trustDomain(), AgentNames.validate(agent))
				.toString();
			filter = filter.and(CertificateRepository.requestedBy(requester));
		}
		if (expiringWithin != null) {
			Duration window = RequestFields.duration("expiringWithin", expiringWithin);
			filter = filter.and(CertificateRepository.hasStatus(CertificateRecord.Status.ISSUED))
				.and(CertificateRepository.expiresAfter(now))
				.and(CertificateRepository.expiredAt(now.plus(window)));
		}
		if (status != null) {
			filter = filter.and(switch (status.toLowerCase(Locale.ROOT)) {
				case "valid" -> CertificateRepository.hasStatus(CertificateRecord.Status.ISSUED)
					.and(CertificateRepository.expiresAfter(now));
				case "expired" -> CertificateRepository.hasStatus(CertificateRecord.Status.ISSUED)
					.and(CertificateRepository.expiredAt(now));
				case "revoked" -> CertificateRepository.hasStatus(CertificateRecord.Status.REVOKED);
				default ->
					throw new ApiException(ProblemType.BAD_REQUEST, "'status' must be one of valid, expired, revoked");
			});
		}
		return new CertificateList(this.certificates.find(filter, limit, now));
	}

	@RequiresRole(Role.AUDITOR)
	@GetMapping("/{serial}")
	CertificateView get(@PathVariable String serial) {
		BigInteger number;
		try {
			number = SerialNumbers.fromHex(serial);
		}
		catch (IllegalArgumentException ex) {
			throw new ApiException(ProblemType.BAD_REQUEST, ex.getMessage());
		}
		return this.certificates.get(SerialNumbers.toHex(number), this.clock.instant())
			.orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No certificate with serial number " + serial));
	}

	@PostMapping("/{serial}/revoke")
	CertificateView revoke(@PathVariable String serial, @RequestBody(required = false) RevokeRequest body,
			HttpServletRequest http) {
		CertificateRecord record = this.revocations.revoke(serial, (body != null) ? body.reason() : null,
				ClientCertificates.caller(http));
		return CertificateViews.of(record, this.clock.instant(), false);
	}

}
