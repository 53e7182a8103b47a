package io.tether.server.revocation;

import io.tether.server.certificate.CertificateRevoked;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * A counter in the database that every revoking transaction moves, in that transaction: a
 * CRL built at an older value misses a revocation, and a replica that sees it move drops
 * the OCSP answers it cached. One row, so concurrent revocations queue on it briefly;
 * revocations are rare.
 */
@Component
class RevocationEpoch {

	private final JdbcTemplate jdbc;

	RevocationEpoch(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT)
	void revoked(CertificateRevoked revoked) {
		this.jdbc.update("update revocation_state set epoch = epoch + 1 where id = 1");
	}

	long current() {
		Long epoch = this.jdbc.queryForObject("select epoch from revocation_state where id = 1", Long.class);
		return (epoch != null) ? epoch : 0;
	}

}
