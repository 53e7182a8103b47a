package io.tether.workload.revocation;

import java.security.cert.CRLReason;
import java.time.Instant;
import java.util.Objects;

/**
 * A verified answer about one certificate: good, revoked (when and why) or unknown to the
 * authority.
 */
public sealed interface RevocationStatus {

	/**
	 * The authority vouches that the certificate is not revoked.
	 */
	record Good() implements RevocationStatus {
	}

	/**
	 * The authority revoked the certificate.
	 *
	 * @param revokedAt when it was revoked
	 * @param reason why ({@link CRLReason#UNSPECIFIED} when the authority gave none)
	 */
	record Revoked(Instant revokedAt, CRLReason reason) implements RevocationStatus {

		/**
		 * Checks that both parts are present.
		 * @param revokedAt when it was revoked
		 * @param reason why
		 */
		public Revoked {
			Objects.requireNonNull(revokedAt, "'revokedAt' must not be null");
			Objects.requireNonNull(reason, "'reason' must not be null");
		}

	}

	/**
	 * The authority does not know the certificate (an OCSP {@code unknown}): it did not
	 * issue it, or has forgotten it.
	 */
	record Unknown() implements RevocationStatus {
	}

}
