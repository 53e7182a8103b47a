package io.tether.server.enrollment;

import java.time.Instant;

import io.tether.api.EnrollRequest;
import io.tether.api.Enrolled;
import io.tether.api.ProblemType;
import io.tether.pki.Pem;
import io.tether.pki.SerialNumbers;
import io.tether.server.authority.CertificateAuthority.SignedCertificate;
import io.tether.server.authority.CertificateAuthority;
import io.tether.server.security.ClientCertificates;
import io.tether.server.throttle.Throttles;
import io.tether.server.web.ApiException;
import io.tether.server.web.RequestFields;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/agents/enroll}: no client certificate; the join token authenticates the
 * agent; {@link Enrollments} does the work in one transaction. Every attempt is counted
 * per source address before the body is read, and a refused join token counts against the
 * source's allowance of them ({@link Throttles}).
 */
@RestController
class EnrollmentController {

	private final Enrollments enrollments;

	private final CertificateAuthority authority;

	private final Throttles throttles;

	EnrollmentController(Enrollments enrollments, CertificateAuthority authority, Throttles throttles) {
		this.enrollments = enrollments;
		this.authority = authority;
		this.throttles = throttles;
	}

	@PostMapping(path = "/v1/agents/enroll", consumes = "application/json")
	Enrolled enroll(@RequestBody EnrollRequest body, HttpServletRequest http) {
		if (body == null || body.joinToken() == null) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'joinToken' and 'csr' are required");
		}
		var csr = RequestFields.csr(body.csr());
		Enrollments.Enrolled enrolled;
		try {
			enrolled = this.enrollments.enroll(body.joinToken(), csr);
		}
		catch (ApiException ex) {
			if (ex.getType() == ProblemType.INVALID_JOIN_TOKEN) {
				// counted before the answer leaves, so that the next attempt sees it
				this.throttles.joinTokenRefused(http.getRemoteAddr());
			}
			throw ex;
		}
		SignedCertificate signed = enrolled.signed();
		return new Enrolled(enrolled.agent(),
				ClientCertificates.spiffeId(signed.certificate()).orElseThrow().toString(),
				SerialNumbers.toHex(signed.certificate().getSerialNumber()),
				signed.certificate().getNotAfter().toInstant(), Pem.write(signed.chain()),
				Pem.write(this.authority.trustAnchors()));
	}

}
