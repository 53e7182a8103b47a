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
import io.tether.server.web.ApiException;
import io.tether.server.web.RequestFields;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/agents/enroll}: no client certificate; the join token authenticates the
 * agent; {@link Enrollments} does the work in one transaction.
 */
@RestController
class EnrollmentController {

	private final Enrollments enrollments;

	private final CertificateAuthority authority;

	EnrollmentController(Enrollments enrollments, CertificateAuthority authority) {
		this.enrollments = enrollments;
		this.authority = authority;
	}

	@PostMapping(path = "/v1/agents/enroll", consumes = "application/json")
	Enrolled enroll(@RequestBody EnrollRequest body) {
		if (body == null || body.joinToken() == null) {
			throw new ApiException(ProblemType.BAD_REQUEST, "'joinToken' and 'csr' are required");
		}
		var csr = RequestFields.csr(body.csr());
		Enrollments.Enrolled enrolled = this.enrollments.enroll(body.joinToken(), csr);
		SignedCertificate signed = enrolled.signed();
		return new Enrolled(enrolled.agent(),
				ClientCertificates.spiffeId(signed.certificate()).orElseThrow().toString(),
				SerialNumbers.toHex(signed.certificate().getSerialNumber()),
				signed.certificate().getNotAfter().toInstant(), Pem.write(signed.chain()),
				Pem.write(this.authority.trustAnchors()));
	}

}
