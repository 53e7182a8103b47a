package io.tether.workload.revocation;

import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CRLReason;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

import io.tether.pki.CryptoProviders;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Verifies an OCSP response before anything in it is believed (RFC 6960 3.2, 4.2.2.2):
 * <ul>
 * <li>the response status is {@code successful} and the response is a basic one;</li>
 * <li>its signature verifies with the key of a certificate matching its responder ID,
 * which is either the issuer itself, or a certificate the issuer signed (verified here)
 * that carries the OCSPSigning extended key usage and is within its validity;</li>
 * <li>it holds a single response for exactly the CertID asked about;</li>
 * <li>its {@code thisUpdate} is not in the future and its {@code nextUpdate}, when given,
 * not in the past, both with the allowed clock skew.</li>
 * </ul>
 * Any failure is a {@link RevocationUnavailableException}: an answer that does not verify
 * is no answer. Thread-safe.
 */
final class OcspResponseVerifier {

	private static final String OCSP_SIGNING = "1.3.6.1.5.5.7.3.9";

	private static final JcaX509CertificateConverter CONVERTER = new JcaX509CertificateConverter();

	private final Clock clock;

	private final Duration clockSkew;

	OcspResponseVerifier(Clock clock, Duration clockSkew) {
		this.clock = clock;
		this.clockSkew = clockSkew;
	}

	StatusAnswer verify(OCSPResp response, CertificateID asked, X509Certificate issuer, URI from)
			throws RevocationUnavailableException {
		if (response.getStatus() != OCSPResp.SUCCESSFUL) {
			throw unavailable(from, "response status " + response.getStatus() + " (not successful)");
		}
		BasicOCSPResp basic;
		try {
			if (!(response.getResponseObject() instanceof BasicOCSPResp object)) {
				throw unavailable(from, "not a basic OCSP response");
			}
			basic = object;
		}
		catch (OCSPException ex) {
			throw unavailable(from, "the basic response cannot be decoded: " + ex.getMessage());
		}
		Instant now = this.clock.instant();
		checkSigner(basic, issuer, now, from);
		SingleResp single = singleResponse(basic, asked, from);
		Instant thisUpdate = single.getThisUpdate().toInstant();
		Instant nextUpdate = (single.getNextUpdate() != null) ? single.getNextUpdate().toInstant() : null;
		if (thisUpdate.isAfter(now.plus(this.clockSkew))) {
			throw unavailable(from, "thisUpdate " + thisUpdate + " is in the future");
		}
		if (nextUpdate != null && !nextUpdate.plus(this.clockSkew).isAfter(now)) {
			throw unavailable(from, "nextUpdate " + nextUpdate + " has passed");
		}
		return new StatusAnswer(status(single.getCertStatus()), thisUpdate, nextUpdate, null);
	}

	private void checkSigner(BasicOCSPResp basic, X509Certificate issuer, Instant now, URI from)
			throws RevocationUnavailableException {
		RespID responderId = basic.getResponderId();
		List<String> problems = new ArrayList<>();
		if (matches(responderId, issuer)) {
			if (signatureValid(basic, issuer.getPublicKey())) {
				return;
			}
			problems.add("the issuer's key does not verify the signature");
		}
		X509CertificateHolder[] included = basic.getCerts();
		for (X509CertificateHolder holder : (included != null) ? included : new X509CertificateHolder[0]) {
			X509Certificate candidate;
			try {
				candidate = CONVERTER.getCertificate(holder);
			}
			catch (CertificateException ex) {
				problems.add("an included certificate cannot be decoded");
				continue;
			}
			if (!matches(responderId, candidate)) {
				continue;
			}
			String problem = delegationProblem(candidate, issuer, now);
			if (problem != null) {
				problems.add(problem);
			}
			else if (signatureValid(basic, candidate.getPublicKey())) {
				return;
			}
			else {
				problems.add("the delegated signer's key does not verify the signature");
			}
		}
		throw unavailable(from, "no authorized signer: "
				+ (problems.isEmpty() ? "no certificate matches the responder ID" : String.join("; ", problems)));
	}

	/**
	 * Why a delegated signer may not answer for the issuer; {@code null} when it may.
	 */
	private static String delegationProblem(X509Certificate signer, X509Certificate issuer, Instant now) {
		if (!signer.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
			return "the delegated signer " + signer.getSubjectX500Principal().getName()
					+ " was not issued by the certificate's issuer";
		}
		try {
			signer.verify(issuer.getPublicKey(), CryptoProviders.bouncyCastle());
		}
		catch (GeneralSecurityException ex) {
			return "the delegated signer's certificate is not signed by the certificate's issuer";
		}
		try {
			List<String> usages = signer.getExtendedKeyUsage();
			if (usages == null || !usages.contains(OCSP_SIGNING)) {
				return "the delegated signer lacks the OCSPSigning extended key usage";
			}
		}
		catch (CertificateException ex) {
			return "the delegated signer's extended key usage cannot be read";
		}
		try {
			signer.checkValidity(Date.from(now));
		}
		catch (CertificateException ex) {
			return "the delegated signer is outside its validity (" + signer.getNotBefore().toInstant() + " to "
					+ signer.getNotAfter().toInstant() + ")";
		}
		return null;
	}

	private static boolean matches(RespID responderId, X509Certificate certificate) {
		if (responderId.equals(new RespID(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded())))) {
			return true;
		}
		try {
			RespID byKey = new RespID(SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded()),
					new JcaDigestCalculatorProviderBuilder().setProvider(CryptoProviders.bouncyCastle())
						.build()
						.get(CertificateID.HASH_SHA1));
			return responderId.equals(byKey);
		}
		catch (OperatorCreationException | OCSPException ex) {
			return false;
		}
	}

	private static boolean signatureValid(BasicOCSPResp basic, PublicKey key) {
		try {
			return basic.isSignatureValid(
					new JcaContentVerifierProviderBuilder().setProvider(CryptoProviders.bouncyCastle()).build(key));
		}
		catch (OperatorCreationException | OCSPException ex) {
			return false;
		}
	}

	private static SingleResp singleResponse(BasicOCSPResp basic, CertificateID asked, URI from)
			throws RevocationUnavailableException {
		for (SingleResp single : basic.getResponses()) {
			if (sameCertificate(single.getCertID(), asked)) {
				return single;
			}
		}
		throw unavailable(from, "no single response for serial " + asked.getSerialNumber().toString(16));
	}

	/**
	 * Field by field, so that a SHA-1 algorithm identifier with or without its NULL
	 * parameters still matches.
	 */
	private static boolean sameCertificate(CertificateID answered, CertificateID asked) {
		BigInteger serial = asked.getSerialNumber();
		return answered.getHashAlgOID().equals(asked.getHashAlgOID())
				&& Arrays.equals(answered.getIssuerNameHash(), asked.getIssuerNameHash())
				&& Arrays.equals(answered.getIssuerKeyHash(), asked.getIssuerKeyHash())
				&& answered.getSerialNumber().equals(serial);
	}

	private static RevocationStatus status(CertificateStatus status) {
		if (status == CertificateStatus.GOOD) {
			return new RevocationStatus.Good();
		}
		if (status instanceof RevokedStatus revoked) {
			CRLReason reason = CRLReason.UNSPECIFIED;
			if (revoked.hasRevocationReason()) {
				int code = revoked.getRevocationReason();
				reason = (code >= 0 && code < CRLReason.values().length) ? CRLReason.values()[code]
						: CRLReason.UNSPECIFIED;
			}
			return new RevocationStatus.Revoked(revoked.getRevocationTime().toInstant(), reason);
		}
		if (status instanceof UnknownStatus) {
			return new RevocationStatus.Unknown();
		}
		return new RevocationStatus.Unknown();
	}

	private static RevocationUnavailableException unavailable(URI from, String problem) {
		return new RevocationUnavailableException("OCSP response from " + from + " not trusted: " + problem, null);
	}

}
