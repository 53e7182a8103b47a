package io.tether.authz;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Asks the CA whether a certificate is still good (not revoked, not of an evicted agent),
 * and remembers the answer for {@code status-cache-ttl}. When the CA cannot be asked, the
 * answer is "unknown" and nothing is issued: fail closed.
 */
@Component
class CertificateStatuses {

	private static final Logger logger = LoggerFactory.getLogger(CertificateStatuses.class);

	private record Cached(String status, Instant until) {
	}

	private final CaClient ca;

	private final AuthzProperties properties;

	private final Clock clock;

	private final Map<String, Cached> cache = new ConcurrentHashMap<>();

	CertificateStatuses(CaClient ca, AuthzProperties properties, Clock clock) {
		this.ca = ca;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * @param x5tS256 the certificate's thumbprint
	 * @return {@code valid}, {@code expired}, {@code revoked} or {@code unknown}
	 */
	String status(String x5tS256) {
		Instant now = this.clock.instant();
		Cached cached = this.cache.get(x5tS256);
		if (cached != null && now.isBefore(cached.until())) {
			return cached.status();
		}
		String status;
		try {
			status = Objects.requireNonNullElse(this.ca.status(x5tS256).status(), "unknown");
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Cannot ask the CA about certificate {} ({}); refusing it", x5tS256, ex.getMessage());
			return "unknown";
		}
		this.cache.put(x5tS256, new Cached(status, now.plus(this.properties.statusCacheTtl())));
		this.cache.entrySet().removeIf((entry) -> now.isAfter(entry.getValue().until()));
		return status;
	}

}
