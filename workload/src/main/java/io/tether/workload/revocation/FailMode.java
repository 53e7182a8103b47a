package io.tether.workload.revocation;

/**
 * What a handshake does when no verified revocation answer can be had for the peer: the
 * responder or CRL endpoint is unreachable or slow, or what it sent does not verify.
 * Either way a verified {@link RevocationStatus.Revoked revoked} answer is always
 * refused.
 */
public enum FailMode {

	/**
	 * Accept the peer when no verified answer can be had, and when the responder says
	 * {@link RevocationStatus.Unknown unknown}; log a warning once per minute per issuing
	 * authority. A CA outage then does not stop service-to-service traffic; the price is
	 * that a revoked certificate is accepted while its authority cannot be asked (or
	 * while someone blocks the way to it) until the certificate expires, which for
	 * Tether's short-lived certificates is hours at most.
	 */
	FAIL_OPEN,

	/**
	 * Refuse the peer when no verified answer can be had, and when the responder says
	 * {@link RevocationStatus.Unknown unknown}. A revoked certificate is never accepted,
	 * and every handshake depends on the CA's revocation endpoint being up.
	 */
	FAIL_CLOSED

}
