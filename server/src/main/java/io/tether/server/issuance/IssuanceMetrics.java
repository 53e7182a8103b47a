package io.tether.server.issuance;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tether.api.ProblemType;
import io.tether.server.authority.CertificateAuthority.SignedCertificate;
import io.tether.server.issuance.IssuanceRequest.Purpose;
import io.tether.server.web.ApiException;

import org.springframework.stereotype.Component;

/**
 * Counts what issuance signs and refuses, and times it:
 * {@code tether_certificates_issued_total{purpose}},
 * {@code tether_issuance_refused_total{purpose,reason}} (the reason is the problem type's
 * last segment: {@code entry-not-assigned}, {@code internal} for a failure that is no
 * refusal) and {@code tether_issuance_seconds{purpose}} (certificates issued only:
 * policy, signature and record).
 */
@Component
class IssuanceMetrics {

	private final MeterRegistry registry;

	private final Map<Purpose, Counter> issued = new EnumMap<>(Purpose.class);

	private final Map<Purpose, Timer> timers = new EnumMap<>(Purpose.class);

	IssuanceMetrics(MeterRegistry registry) {
		this.registry = registry;
		// registered up front, so that each purpose shows (at 0) from the first scrape
		for (Purpose purpose : Purpose.values()) {
			this.issued.put(purpose,
					Counter.builder("tether.certificates.issued")
						.description("Certificates issued to admins and agents")
						.tag("purpose", label(purpose))
						.register(registry));
			this.timers.put(purpose,
					Timer.builder("tether.issuance")
						.description("Time to check, sign and record a certificate")
						.tag("purpose", label(purpose))
						.publishPercentileHistogram()
						.register(registry));
		}
	}

	SignedCertificate record(Purpose purpose, Supplier<SignedCertificate> issuance) {
		long started = System.nanoTime();
		SignedCertificate signed;
		try {
			signed = issuance.get();
		}
		catch (ApiException ex) {
			refused(label(purpose), reason(ex.getType()));
			throw ex;
		}
		catch (RuntimeException ex) {
			refused(label(purpose), reason(ProblemType.INTERNAL));
			throw ex;
		}
		this.timers.get(purpose).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
		this.issued.get(purpose).increment();
		return signed;
	}

	private void refused(String purpose, String reason) {
		Counter.builder("tether.issuance.refused")
			.description("Requests for a certificate refused, by problem type")
			.tag("purpose", purpose)
			.tag("reason", reason)
			.register(this.registry)
			.increment();
	}

	/** The purpose as operators name it: the one who asks. */
	static String label(Purpose purpose) {
		return switch (purpose) {
			case ADMIN -> "admin";
			case AGENT_IDENTITY -> "agent";
			case AGENT_WORKLOAD -> "workload";
		};
	}

	static String reason(ProblemType type) {
		String uri = type.uri().toString();
		return uri.substring(uri.lastIndexOf(':') + 1).toLowerCase(Locale.ROOT);
	}

}
