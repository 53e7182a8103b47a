package io.tether.server.revocation;

import java.util.List;

import io.tether.server.authority.IssuingAuthorities;
import io.tether.server.certificate.CertificateRevoked;
import io.tether.server.jobs.JobRuns;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Keeps what relying parties are told current. A revocation committed on this replica
 * drops the cached OCSP answers at once and publishes the CRLs soon after; the
 * {@value #PUBLISH} job publishes, once across replicas, every CRL that is due; and every
 * replica looks every {@code tether.revocation.sync-interval} for revocations and CRLs
 * that another replica made.
 */
@Component
class RevocationJobs {

	static final String PUBLISH = "crl-publish";

	private static final Logger logger = LoggerFactory.getLogger(RevocationJobs.class);

	private final CrlPublisher crls;

	private final OcspResponder responder;

	private final RevocationEpoch epoch;

	private final IssuingAuthorities authorities;

	private final JobRuns runs;

	private volatile long seenEpoch = -1;

	private volatile List<IssuingAuthorities.Issuer> seenIssuers;

	RevocationJobs(CrlPublisher crls, OcspResponder responder, RevocationEpoch epoch, IssuingAuthorities authorities,
			JobRuns runs) {
		this.crls = crls;
		this.responder = responder;
		this.epoch = epoch;
		this.authorities = authorities;
		this.runs = runs;
	}

	@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
	void revoked(CertificateRevoked revoked) {
		this.responder.invalidate();
		this.crls.publishSoon();
	}

	@EventListener(ApplicationReadyEvent.class)
	void ready() {
		this.crls.publishSoon();
	}

	@Scheduled(initialDelayString = "${tether.revocation.crl-check-interval:PT10S}",
			fixedDelayString = "${tether.revocation.crl-check-interval:PT10S}")
	@SchedulerLock(name = PUBLISH, lockAtMostFor = "PT10M")
	void publish() {
		this.runs.run(PUBLISH, true, () -> {
			int published = this.crls.publishDue();
			return (published > 0) ? published + " CRL(s) published" : "every CRL current";
		});
	}

	/**
	 * Not a recorded job: it runs every few seconds on every replica and only reads.
	 */
	@Scheduled(initialDelayString = "${tether.revocation.sync-interval:PT2S}",
			fixedDelayString = "${tether.revocation.sync-interval:PT2S}")
	void sync() {
		try {
			long current = this.epoch.current();
			List<IssuingAuthorities.Issuer> issuers = this.authorities.issuers();
			if (current != this.seenEpoch || issuers != this.seenIssuers) {
				this.responder.invalidate();
				this.seenEpoch = current;
				this.seenIssuers = issuers;
			}
			this.crls.refresh();
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot look for revocations made on other replicas: {}", ex.getMessage());
		}
	}

}
