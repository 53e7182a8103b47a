package io.tether.server.revocation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tether.server.authority.IssuingAuthorities;
import io.tether.server.authority.IssuingAuthorities.Issuer;
import io.tether.server.metrics.DatabaseGauges;

import org.springframework.stereotype.Component;

/**
 * Revocation publishing's meters: {@code tether_ocsp_responses_total{status}} (one per
 * response: {@code good}, {@code revoked} or {@code unknown} for the worst of its
 * answers, {@code malformed} for a request refused as malformed, {@code error} for
 * {@code tryLater} and {@code internalError}) and
 * {@code tether_crl_entries{authority_kind,generation}} (certificates listed in the CRL
 * this replica serves for each authority).
 */
@Component
class RevocationMetrics {

	static final String GOOD = "good";

	static final String REVOKED = "revoked";

	static final String UNKNOWN = "unknown";

	static final String MALFORMED = "malformed";

	static final String ERROR = "error";

	private final Map<String, Counter> ocspResponses;

	RevocationMetrics(MeterRegistry registry, DatabaseGauges gauges, CrlPublisher crls,
			IssuingAuthorities authorities) {
		Map<String, Counter> counters = new LinkedHashMap<>();
		for (String status : new String[] { GOOD, REVOKED, UNKNOWN, MALFORMED, ERROR }) {
			// registered up front, so that every status shows from the first scrape
			counters.put(status,
					Counter.builder("tether.ocsp.responses")
						.description("OCSP responses, by the status they answered")
						.tag("status", status)
						.register(registry));
		}
		this.ocspResponses = Map.copyOf(counters);
		gauges.gauges("tether.crl.entries", null, "Certificates listed in each authority's current CRL", () -> {
			Map<String, Issuer> byId = authorities.issuers()
				.stream()
				.collect(Collectors.toMap(Issuer::id, Function.identity()));
			Map<Tags, Double> values = new LinkedHashMap<>();
			for (PublishedCrl crl : crls.all()) {
				Issuer issuer = byId.get(crl.authorityId());
				if (issuer != null) {
					values.put(Tags.of("authority_kind", issuer.kind(), "generation",
							Integer.toString(issuer.generation())), (double) crl.entries());
				}
			}
			return values;
		});
	}

	void ocspResponse(String status) {
		this.ocspResponses.get(status).increment();
	}

}
