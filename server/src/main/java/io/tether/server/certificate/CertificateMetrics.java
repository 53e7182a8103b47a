package io.tether.server.certificate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tether.server.metrics.DatabaseGauges;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The certificates' meters: {@code tether_certificates_valid} (issued, unrevoked,
 * unexpired), {@code tether_certificate_soonest_expiry_seconds} (seconds from the last
 * reading to the soonest {@code notAfter} among them; {@code NaN} when there are none)
 * and {@code tether_revocations_total{reason}} (counted once the revocation has
 * committed).
 */
@Component
class CertificateMetrics {

	private final MeterRegistry registry;

	CertificateMetrics(MeterRegistry registry, DatabaseGauges gauges, Certificates certificates, Clock clock) {
		this.registry = registry;
		gauges.gauge("tether.certificates.valid", null, "Certificates issued and neither revoked nor expired",
				() -> (double) certificates.validCount(clock.instant()));
		gauges.gauge("tether.certificate.soonest.expiry", "seconds",
				"Seconds until the soonest-expiring valid certificate expires", () -> {
					Instant now = clock.instant();
					return certificates.soonestExpiry(now)
						.map((expiry) -> Duration.between(now, expiry.notAfter()).toMillis() / 1000.0)
						.orElse(Double.NaN);
				});
	}

	@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
	void revoked(CertificateRevoked revoked) {
		Counter.builder("tether.revocations")
			.description("Certificates revoked, by RFC 5280 reason")
			.tag("reason", (revoked.reason() != null) ? revoked.reason() : "unspecified")
			.register(this.registry)
			.increment();
	}

}
