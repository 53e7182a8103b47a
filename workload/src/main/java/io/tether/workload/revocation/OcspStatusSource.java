package io.tether.workload.revocation;

import java.io.IOException;
import java.net.URI;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

import io.tether.pki.CryptoProviders;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Asks an RFC 6960 OCSP responder at {@code <base>/ocsp} by POST, and verifies the answer
 * with an {@link OcspResponseVerifier}.
 * <p>
 * The request follows RFC 5019's profile: one certificate, its CertID hashed with SHA-1,
 * and no nonce. Without a nonce every client asking about a certificate gets the same
 * bytes, so a responder may sign an answer once and serve it until its
 * {@code nextUpdate}, and caches in between may hold it; freshness comes from checking
 * {@code thisUpdate} and {@code nextUpdate} instead, which bounds a replayed answer to
 * the window the CA itself signed for. SHA-1 here only names the certificate (a hash of
 * the issuer's name and key, next to the serial): it carries no signature, and every
 * responder understands it.
 */
final class OcspStatusSource implements StatusSource {

	private final URI endpoint;

	private final RevocationHttp http;

	private final OcspResponseVerifier verifier;

	OcspStatusSource(URI baseUri, RevocationHttp http, OcspResponseVerifier verifier) {
		this.endpoint = Endpoints.resolve(baseUri, "ocsp");
		this.http = http;
		this.verifier = verifier;
	}

	@Override
	public StatusAnswer fetch(X509Certificate leaf, X509Certificate issuer, String issuerKeyId)
			throws RevocationUnavailableException {
		CertificateID id = certificateId(leaf, issuer);
		byte[] request;
		try {
			request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
		}
		catch (OCSPException | IOException ex) {
			throw new IllegalStateException("Cannot encode an OCSP request: " + ex.getMessage(), ex);
		}
		byte[] body = this.http.post(this.endpoint, "application/ocsp-request", request, "application/ocsp-response");
		OCSPResp response;
		try {
			response = new OCSPResp(body);
		}
		catch (IOException | RuntimeException ex) {
			throw new RevocationUnavailableException(
					this.endpoint + " sent something that is not an OCSP response: " + ex.getMessage(), ex);
		}
		return this.verifier.verify(response, id, issuer, this.endpoint);
	}

	static CertificateID certificateId(X509Certificate leaf, X509Certificate issuer) {
		try {
			return new CertificateID(
					new JcaDigestCalculatorProviderBuilder().setProvider(CryptoProviders.bouncyCastle())
						.build()
						.get(CertificateID.HASH_SHA1),
					new JcaX509CertificateHolder(issuer), leaf.getSerialNumber());
		}
		catch (OperatorCreationException | OCSPException | CertificateEncodingException ex) {
			throw new IllegalStateException("Cannot compute an OCSP CertID: " + ex.getMessage(), ex);
		}
	}

}
