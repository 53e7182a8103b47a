package io.tether.server.agent;

import java.util.Locale;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tether.api.ProblemType;
import io.tether.server.web.ApiException;

import org.springframework.stereotype.Component;

/**
 * {@code tether_jwt_svids_issued_total} and
 * {@code tether_jwt_svids_refused_total{reason}}: JWT-SVIDs agents obtained, and requests
 * refused by problem type.
 */
@Component
class JwtSvidMetrics {

	private final MeterRegistry registry;

	private final Counter issued;

	JwtSvidMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.issued = Counter.builder("tether.jwt_svids.issued")
			.description("JWT-SVIDs issued to agents")
			.register(registry);
	}

	<T> T record(Supplier<T> issuance) {
		T result;
		try {
			result = issuance.get();
		}
		catch (ApiException ex) {
			refused(ex.getType());
			throw ex;
		}
		catch (RuntimeException ex) {
			refused(ProblemType.INTERNAL);
			throw ex;
		}
		this.issued.increment();
		return result;
	}

	private void refused(ProblemType type) {
		String uri = type.uri().toString();
		Counter.builder("tether.jwt_svids.refused")
			.description("Requests for a JWT-SVID refused, by problem type")
			.tag("reason", uri.substring(uri.lastIndexOf(':') + 1).toLowerCase(Locale.ROOT))
			.register(this.registry)
			.increment();
	}

}
