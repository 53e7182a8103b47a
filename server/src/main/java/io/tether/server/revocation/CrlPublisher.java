package io.tether.server.revocation;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tether.pki.Crls;
import io.tether.pki.SerialNumbers;
import io.tether.server.TetherProperties;
import io.tether.server.authority.IssuingAuthorities;
import io.tether.server.authority.IssuingAuthorities.Issuer;
import io.tether.server.certificate.Certificates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes one CRL per authority that answers for what it signed (RFC 5280): an
 * intermediate lists its revoked leaves, a root the intermediates revoked in an emergency
 * rotation; entries leave once the certificate has expired. A CRL is published when its
 * authority has none, when a revocation happened since it was built, and at half its
 * validity, each under a lock on its row so that replicas publishing at once take turns
 * and the second finds nothing to do; CRL numbers only grow. Every replica serves the
 * published CRLs from memory and picks up new ones within
 * {@code tether.revocation.sync-interval}.
 */
@Component
class CrlPublisher implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(CrlPublisher.class);

	private final IssuingAuthorities authorities;

	private final Certificates certificates;

	private final RevocationEpoch epoch;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final TetherProperties.Revocation settings;

	private final Clock clock;

	private final ExecutorService background = Executors
		.newSingleThreadExecutor(Thread.ofPlatform().name("crl-publisher").daemon().factory());

	private final AtomicBoolean pending = new AtomicBoolean();

	private volatile Map<String, PublishedCrl> published = Map.of();

	CrlPublisher(IssuingAuthorities authorities, Certificates certificates, RevocationEpoch epoch, JdbcTemplate jdbc,
			PlatformTransactionManager transactionManager, TetherProperties properties, Clock clock) {
		this.authorities = authorities;
		this.certificates = certificates;
		this.epoch = epoch;
		this.jdbc = jdbc;
		this.transactions = new TransactionTemplate(transactionManager);
		this.settings = properties.revocation();
		this.clock = clock;
	}

	/**
	 * The CRL of the authority with this key identifier.
	 * @param keyId lowercase hex
	 * @return its current CRL, when it has one
	 */
	Optional<PublishedCrl> find(String keyId) {
		return Optional.ofNullable(this.published.get(keyId));
	}

	/**
	 * Every CRL this replica serves.
	 */
	List<PublishedCrl> all() {
		return List.copyOf(this.published.values());
	}

	/**
	 * Publishes, off the caller's thread and soon, whatever is due: called after a
	 * revocation commits, so that the CRL lists it within moments.
	 */
	void publishSoon() {
		if (this.pending.compareAndSet(false, true)) {
			this.background.execute(() -> {
				this.pending.set(false);
				try {
					publishDue();
				}
				catch (RuntimeException ex) {
					logger.warn("Publishing CRLs failed; the crl-publish job tries again ({})", ex.getMessage());
				}
			});
		}
	}

	/**
	 * Publishes every CRL that is due, then reloads what is served.
	 * @return how many were published
	 */
	int publishDue() {
		int count = 0;
		for (Issuer issuer : this.authorities.issuers()) {
			if (issuer.answers() && publishIfDue(issuer)) {
				count++;
			}
		}
		refresh();
		return count;
	}

	private boolean publishIfDue(Issuer issuer) {
		try {
			return Boolean.TRUE.equals(this.transactions.execute((status) -> {
				long epochNow = this.epoch.current();
				Instant now = this.clock.instant();
				List<Map<String, Object>> rows = this.jdbc.queryForList(
						"select crl_number, epoch, entries, this_update from crl where authority_id = ? for update",
						issuer.id());
				long started = System.nanoTime();
				List<Crls.Entry> entries = entries(issuer, now);
				Map<String, Object> row = rows.isEmpty() ? null : rows.get(0);
				if (row != null && !due(row, epochNow, entries.size(), now)) {
					return false;
				}
				long number = (row != null) ? ((Number) row.get("crl_number")).longValue() + 1 : 1;
				Instant nextUpdate = now.plus(this.settings.crlValidity());
				byte[] der = Crls.sign(this.authorities.credential(issuer.id()), BigInteger.valueOf(number), now,
						nextUpdate, entries);
				if (row == null) {
					this.jdbc.update(
							"insert into crl (authority_id, key_id, crl_number, epoch, entries, this_update, "
									+ "next_update, der) values (?, ?, ?, ?, ?, ?, ?, ?)",
							issuer.id(), issuer.keyId(), number, epochNow, entries.size(), timestamp(now),
							timestamp(nextUpdate), der);
				}
				else {
					this.jdbc.update(
							"update crl set crl_number = ?, epoch = ?, entries = ?, this_update = ?, next_update = ?, "
									+ "der = ? where authority_id = ?",
							number, epochNow, entries.size(), timestamp(now), timestamp(nextUpdate), der, issuer.id());
				}
				logger.info(
						"Published CRL {} of {} generation {}: {} revoked certificate(s), {} bytes, built in {} ms; "
								+ "next update by {}",
						number, issuer.kind(), issuer.generation(), entries.size(), der.length,
						(System.nanoTime() - started) / 1_000_000, nextUpdate);
				return true;
			}));
		}
		catch (DataIntegrityViolationException ex) {
			// another replica published this authority's first CRL at the same moment
			return false;
		}
	}

	private boolean due(Map<String, Object> row, long epochNow, int entries, Instant now) {
		Instant thisUpdate = instant(row.get("this_update"));
		Duration half = this.settings.crlValidity().dividedBy(2);
		return ((Number) row.get("epoch")).longValue() < epochNow || ((Number) row.get("entries")).intValue() != entries
				|| !now.isBefore(thisUpdate.plus(half));
	}

	/**
	 * What an authority's CRL lists: an intermediate's revoked leaves, a root's revoked
	 * intermediates; neither once expired.
	 */
	private List<Crls.Entry> entries(Issuer issuer, Instant now) {
		List<Crls.Entry> entries = new ArrayList<>();
		if ("root".equals(issuer.kind())) {
			for (Issuer child : this.authorities.issuers()) {
				if (issuer.id().equals(child.parentId()) && !child.answers()
						&& child.certificate().getNotAfter().toInstant().isAfter(now)) {
					Instant revokedAt = (child.revokedAt() != null) ? child.revokedAt() : now;
					entries.add(new Crls.Entry(child.certificate().getSerialNumber(), revokedAt,
							Crls.reasonCode("cACompromise")));
				}
			}
			return entries;
		}
		for (Certificates.Revoked revoked : this.certificates.revokedUnexpired(issuer.id(), now)) {
			entries.add(new Crls.Entry(SerialNumbers.fromHex(revoked.serialNumber()), revoked.revokedAt(),
					Crls.reasonCode(revoked.reason())));
		}
		return entries;
	}

	/**
	 * Loads into memory the CRLs published since the last look, on this replica or
	 * another, and forgets those of retired authorities.
	 */
	void refresh() {
		Map<String, PublishedCrl> current = this.published;
		Map<String, PublishedCrl> next = new HashMap<>();
		List<String> answering = this.authorities.issuers().stream().filter(Issuer::answers).map(Issuer::id).toList();
		this.jdbc.query("select authority_id, key_id, crl_number from crl", (row) -> {
			String authorityId = row.getString(1);
			String keyId = row.getString(2);
			long number = row.getLong(3);
			if (!answering.contains(authorityId)) {
				return;
			}
			PublishedCrl known = current.get(keyId);
			next.put(keyId, (known != null && known.number() == number) ? known : load(authorityId));
		});
		next.values().removeIf(java.util.Objects::isNull);
		this.published = Map.copyOf(next);
	}

	private PublishedCrl load(String authorityId) {
		List<PublishedCrl> found = this.jdbc.query(
				"select authority_id, key_id, crl_number, entries, this_update, next_update, der from crl "
						+ "where authority_id = ?",
				(row, index) -> new PublishedCrl(row.getString(1), row.getString(2), row.getLong(3), row.getInt(4),
						row.getTimestamp(5).toInstant(), row.getTimestamp(6).toInstant(), row.getBytes(7)),
				authorityId);
		return found.isEmpty() ? null : found.get(0);
	}

	private static java.sql.Timestamp timestamp(Instant instant) {
		return java.sql.Timestamp.from(instant);
	}

	private static Instant instant(Object value) {
		if (value instanceof java.sql.Timestamp timestamp) {
			return timestamp.toInstant();
		}
		if (value instanceof java.time.OffsetDateTime offset) {
			return offset.toInstant();
		}
		if (value instanceof Instant instant) {
			return instant;
		}
		throw new IllegalStateException("Unexpected timestamp type " + value.getClass().getName());
	}

	@Override
	public void destroy() {
		this.background.shutdownNow();
	}

}
