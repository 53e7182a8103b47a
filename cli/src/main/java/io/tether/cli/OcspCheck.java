package io.tether.cli;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;

import io.tether.api.AuthorityView;
import io.tether.pki.CryptoProviders;
import io.tether.pki.Crls;
import io.tether.pki.KeyIdentifiers;
import io.tether.pki.SerialNumbers;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Asks the CA's OCSP responder (RFC 6960, {@code POST /ocsp} on the configured server)
 * about one certificate, with a fresh nonce, and believes the answer only when all of it
 * verifies: a successful response, signed by the issuer or by a responder certificate the
 * issuer signed for OCSP signing, about exactly the certificate asked about, current,
 * echoing the nonce. Anything less is a {@link CliException} ({@link ExitCode#FAILED})
 * that says which check failed.
 */
final class OcspCheck {

	static final String REQUEST_TYPE = "application/ocsp-request";

	static final String RESPONSE_TYPE = "application/ocsp-response";

	/** Clock difference tolerated between this host and the responder. */
	static final Duration SKEW = Duration.ofMinutes(5);

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final List<String> RESPONSE_STATUSES = List.of("successful", "malformedRequest", "internalError",
			"tryLater", "4", "sigRequired", "unauthorized");

	private OcspCheck() {
	}

	/**
	 * Asks about a certificate and verifies the answer.
	 * @param api the server
	 * @param certificate the certificate asked about
	 * @param issuer the certificate of the authority that issued it
	 */
	static OcspAnswer ask(ApiClient api, X509Certificate certificate, X509Certificate issuer) {
		CertificateID id = certificateId(certificate, issuer);
		byte[] nonce = new byte[16];
		RANDOM.nextBytes(nonce);
		byte[] response = api.postBytes("/ocsp", REQUEST_TYPE, request(id, nonce), RESPONSE_TYPE);
		return verify(response, id, issuer, nonce, Instant.now());
	}

	/**
	 * The issuer of the first certificate of a chain: the next certificate of the chain
	 * that signed it, else the CA's authority whose key id is its authority key
	 * identifier.
	 * @param chain a certificate, possibly followed by its chain
	 * @param authorities the CA's authorities, asked for only when the chain does not
	 * hold the issuer
	 * @throws CliException ({@link ExitCode#FAILED}) when neither issued it
	 */
	static X509Certificate issuer(List<X509Certificate> chain, Supplier<List<AuthorityView>> authorities) {
		X509Certificate leaf = chain.get(0);
		for (X509Certificate candidate : chain.subList(1, chain.size())) {
			if (candidate.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())
					&& signedBy(leaf, candidate)) {
				return candidate;
			}
		}
		String serial = SerialNumbers.toHex(leaf.getSerialNumber());
		byte[] authorityKeyId = KeyIdentifiers.authorityKeyIdentifier(leaf);
		if (authorityKeyId == null) {
			throw new CliException(ExitCode.FAILED, "Certificate " + serial
					+ " has no authority key identifier and its issuer is not in the file; add the issuer after it");
		}
		String keyId = KeyIdentifiers.hex(authorityKeyId);
		AuthorityView authority = CaAuthorities.byKeyId(authorities.get(), keyId)
			.orElseThrow(() -> new CliException(ExitCode.FAILED, "No authority of this CA has the key id " + keyId
					+ " that issued certificate " + serial + "; is it a certificate of this CA? 'tether ca show'"));
		X509Certificate issuer = CaAuthorities.certificate(authority);
		if (!signedBy(leaf, issuer)) {
			throw new CliException(ExitCode.FAILED, "Certificate " + serial + " names " + CaAuthorities.label(authority)
					+ " as its issuer, but that authority's signature on it does not verify");
		}
		return issuer;
	}

	private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
		try {
			certificate.verify(issuer.getPublicKey());
			return true;
		}
		catch (GeneralSecurityException ex) {
			return false;
		}
	}

	/**
	 * The CertID of a certificate, with SHA-256 (the responder takes SHA-1 and SHA-256).
	 */
	static CertificateID certificateId(X509Certificate certificate, X509Certificate issuer) {
		try {
			return new CertificateID(digests().get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
					new JcaX509CertificateHolder(issuer), certificate.getSerialNumber());
		}
		catch (OCSPException | OperatorCreationException | CertificateException ex) {
			throw new CliException(ExitCode.FAILED, "Cannot name certificate "
					+ SerialNumbers.toHex(certificate.getSerialNumber()) + " for OCSP (" + ex.getMessage() + ")", ex);
		}
	}

	/**
	 * A DER OCSP request about one certificate, with a nonce (RFC 8954).
	 */
	static byte[] request(CertificateID id, byte[] nonce) {
		try {
			return new OCSPReqBuilder().addRequest(id)
				.setRequestExtensions(new Extensions(nonceExtension(nonce)))
				.build()
				.getEncoded();
		}
		catch (OCSPException | IOException ex) {
			throw new CliException(ExitCode.FAILED, "Cannot build the OCSP request (" + ex.getMessage() + ")", ex);
		}
	}

	static Extension nonceExtension(byte[] nonce) {
		try {
			return new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
					new DEROctetString(new DEROctetString(nonce).getEncoded()));
		}
		catch (IOException ex) {
			throw new IllegalStateException("A nonce cannot be encoded", ex);
		}
	}

	/**
	 * Verifies a response to the request about {@code id} and reads its answer.
	 * @param der the response as received
	 * @param id what was asked about
	 * @param issuer the certificate of the authority that issued it
	 * @param nonce the nonce sent
	 * @param now the time to check validity at
	 * @throws CliException ({@link ExitCode#FAILED}) naming the check that failed
	 */
	static OcspAnswer verify(byte[] der, CertificateID id, X509Certificate issuer, byte[] nonce, Instant now) {
		String serial = SerialNumbers.toHex(id.getSerialNumber());
		OCSPResp response;
		try {
			response = new OCSPResp(der);
		}
		catch (IOException | RuntimeException ex) {
			throw invalid(serial, "it is not an OCSP response (" + ex.getMessage() + ")", ex);
		}
		if (response.getStatus() != OCSPResp.SUCCESSFUL) {
			throw new CliException(ExitCode.FAILED, "The OCSP responder did not answer about " + serial + ": "
					+ statusName(response.getStatus()) + "; see the server log");
		}
		BasicOCSPResp basic;
		try {
			basic = (response.getResponseObject() instanceof BasicOCSPResp b) ? b : null;
		}
		catch (OCSPException | RuntimeException ex) {
			basic = null;
		}
		if (basic == null) {
			throw invalid(serial, "it is not a basic OCSP response", null);
		}
		X509Certificate responder = responder(basic, issuer, serial, now);
		Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
		if (echoed == null || !Arrays.equals(echoed.getExtnValue().getOctets(),
				nonceExtension(nonce).getExtnValue().getOctets())) {
			throw invalid(serial, (echoed == null) ? "it does not echo the nonce sent (a replayed answer?)"
					: "its nonce is not the one sent (a replayed answer?)", null);
		}
		SingleResp single = Arrays.stream(basic.getResponses())
			.filter((candidate) -> sameCertificate(candidate.getCertID(), id))
			.findFirst()
			.orElseThrow(() -> invalid(serial, "it answers about another certificate", null));
		Instant thisUpdate = single.getThisUpdate().toInstant();
		Instant nextUpdate = (single.getNextUpdate() != null) ? single.getNextUpdate().toInstant() : null;
		if (thisUpdate.isAfter(now.plus(SKEW))) {
			throw invalid(serial, "it is from the future (this update " + thisUpdate + "); check the clocks", null);
		}
		if (nextUpdate != null && nextUpdate.isBefore(now.minus(SKEW))) {
			throw invalid(serial, "it is stale (next update " + nextUpdate + " has passed)", null);
		}
		CertificateStatus status = single.getCertStatus();
		String responderName = responder.getSubjectX500Principal().getName();
		String issuerName = issuer.getSubjectX500Principal().getName();
		if (status == CertificateStatus.GOOD) {
			return new OcspAnswer(serial, OcspAnswer.GOOD, null, null, thisUpdate, nextUpdate, responderName,
					issuerName);
		}
		if (status instanceof RevokedStatus revoked) {
			String reason = Crls.reasonName(revoked.hasRevocationReason() ? revoked.getRevocationReason() : 0);
			return new OcspAnswer(serial, OcspAnswer.REVOKED, revoked.getRevocationTime().toInstant(), reason,
					thisUpdate, nextUpdate, responderName, issuerName);
		}
		if (status instanceof UnknownStatus) {
			return new OcspAnswer(serial, OcspAnswer.UNKNOWN, null, null, thisUpdate, nextUpdate, responderName,
					issuerName);
		}
		throw invalid(serial, "its status is neither good, revoked nor unknown", null);
	}

	/**
	 * The certificate that signed the response, once it is shown to speak for the issuer:
	 * the issuer itself, or a certificate the issuer signed with the OCSP-signing
	 * extended key usage, valid now (RFC 6960 4.2.2.2).
	 */
	private static X509Certificate responder(BasicOCSPResp basic, X509Certificate issuer, String serial, Instant now) {
		List<X509CertificateHolder> candidates = new ArrayList<>(Arrays.asList(basic.getCerts()));
		X509CertificateHolder issuerHolder = holder(issuer);
		candidates.add(issuerHolder);
		X509CertificateHolder signer = candidates.stream()
			.filter((candidate) -> named(basic.getResponderId(), candidate))
			.filter((candidate) -> signatureValid(basic, candidate))
			.findFirst()
			.orElseThrow(() -> invalid(serial,
					"its signature does not verify with the responder certificate it names, nor with the issuer's",
					null));
		X509Certificate certificate = certificate(signer);
		if (signer.getSubjectPublicKeyInfo().equals(issuerHolder.getSubjectPublicKeyInfo())
				&& signer.getSubject().equals(issuerHolder.getSubject())) {
			return certificate;
		}
		String name = certificate.getSubjectX500Principal().getName();
		if (!signer.getIssuer().equals(issuerHolder.getSubject()) || !signedBy(certificate, issuer)) {
			throw invalid(serial, "its responder " + name + " is not certified by the issuer "
					+ issuer.getSubjectX500Principal().getName(), null);
		}
		List<String> purposes;
		try {
			purposes = certificate.getExtendedKeyUsage();
		}
		catch (java.security.cert.CertificateParsingException ex) {
			purposes = null;
		}
		if (purposes == null || !purposes.contains(KeyPurposeId.id_kp_OCSPSigning.getId())) {
			throw invalid(serial, "its responder " + name + " is not authorized to sign OCSP answers (no OCSPSigning "
					+ "extended key usage)", null);
		}
		if (!signer.isValidOn(Date.from(now))) {
			throw invalid(
					serial, "its responder certificate " + name + " is not valid now ("
							+ signer.getNotBefore().toInstant() + " to " + signer.getNotAfter().toInstant() + ")",
					null);
		}
		return certificate;
	}

	private static boolean named(RespID responderId, X509CertificateHolder candidate) {
		try {
			return responderId.equals(new RespID(candidate.getSubject())) || responderId
				.equals(new RespID(candidate.getSubjectPublicKeyInfo(), digests().get(CertificateID.HASH_SHA1)));
		}
		catch (OCSPException | OperatorCreationException ex) {
			return false;
		}
	}

	private static boolean signatureValid(BasicOCSPResp basic, X509CertificateHolder candidate) {
		try {
			return basic.isSignatureValid(verifier(candidate));
		}
		catch (OCSPException | OperatorCreationException | RuntimeException ex) {
			return false;
		}
	}

	private static boolean sameCertificate(CertificateID answered, CertificateID asked) {
		return answered.getHashAlgOID().equals(asked.getHashAlgOID())
				&& Arrays.equals(answered.getIssuerNameHash(), asked.getIssuerNameHash())
				&& Arrays.equals(answered.getIssuerKeyHash(), asked.getIssuerKeyHash())
				&& answered.getSerialNumber().equals(asked.getSerialNumber());
	}

	private static ContentVerifierProvider verifier(X509CertificateHolder certificate)
			throws OperatorCreationException {
		try {
			return new JcaContentVerifierProviderBuilder().setProvider(CryptoProviders.bouncyCastle())
				.build(certificate);
		}
		catch (CertificateException ex) {
			throw new OperatorCreationException(ex.getMessage(), ex);
		}
	}

	private static DigestCalculatorProvider digests() throws OperatorCreationException {
		return new JcaDigestCalculatorProviderBuilder().setProvider(CryptoProviders.bouncyCastle()).build();
	}

	private static X509CertificateHolder holder(X509Certificate certificate) {
		try {
			return new JcaX509CertificateHolder(certificate);
		}
		catch (CertificateException ex) {
			throw new CliException(ExitCode.FAILED, "Cannot read the issuer certificate (" + ex.getMessage() + ")", ex);
		}
	}

	private static X509Certificate certificate(X509CertificateHolder holder) {
		try {
			return new JcaX509CertificateConverter().getCertificate(holder);
		}
		catch (CertificateException ex) {
			throw new CliException(ExitCode.FAILED,
					"Cannot read the OCSP responder's certificate (" + ex.getMessage() + ")", ex);
		}
	}

	private static String statusName(int status) {
		return (status >= 0 && status < RESPONSE_STATUSES.size()) ? RESPONSE_STATUSES.get(status) : "status " + status;
	}

	private static CliException invalid(String serial, String why, Throwable cause) {
		return new CliException(ExitCode.FAILED,
				"The OCSP answer about " + serial + " does not verify: " + why + "; do not rely on it", cause);
	}

}
