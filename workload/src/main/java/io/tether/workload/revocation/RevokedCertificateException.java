package io.tether.workload.revocation;

import java.math.BigInteger;
import java.security.cert.CertificateRevokedException;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Map;

/**
 * A peer's certificate was revoked, by a verified answer of its issuer. The message names
 * the serial, the subject, the revocation time and the reason, which is what an operator
 * reading a refused handshake needs; callers may also catch it as the JDK's
 * {@link CertificateRevokedException}.
 */
public class RevokedCertificateException extends CertificateRevokedException {

	private static final long serialVersionUID = 1L;

	private final BigInteger serial;

	private final String subject;

	/**
	 * Creates the exception.
	 * @param certificate the revoked certificate
	 * @param issuer its issuer, which revoked it
	 * @param revoked the verified answer
	 */
	public RevokedCertificateException(X509Certificate certificate, X509Certificate issuer,
			RevocationStatus.Revoked revoked) {
		super(Date.from(revoked.revokedAt()), revoked.reason(), issuer.getSubjectX500Principal(), Map.of());
		this.serial = certificate.getSerialNumber();
		this.subject = certificate.getSubjectX500Principal().getName();
	}

	/**
	 * The revoked certificate's serial number.
	 * @return the serial
	 */
	public BigInteger serial() {
		return this.serial;
	}

	@Override
	public String getMessage() {
		return "Certificate serial " + this.serial.toString(16) + " (" + this.subject + ") was revoked at "
				+ getRevocationDate().toInstant() + ", reason " + getRevocationReason() + ", by "
				+ getAuthorityName().getName();
	}

}
