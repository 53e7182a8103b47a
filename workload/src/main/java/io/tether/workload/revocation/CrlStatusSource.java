package io.tether.workload.revocation;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.CRLReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.tether.pki.CryptoProviders;

/**
 * Answers from the CRL of each issuing authority, fetched from
 * {@code <base>/crl/<issuer key id>.crl}, verified (signed by the issuer's key, issued
 * under its name, {@code thisUpdate} not in the future, {@code nextUpdate} present and
 * not past), and kept until its {@code nextUpdate} or the max age, whichever is sooner;
 * fetched again after that. One fetch at a time per issuer: handshakes that need the same
 * CRL wait for it instead of asking too.
 * <p>
 * Thread-safe.
 */
final class CrlStatusSource implements StatusSource {

	/** Issuers whose CRLs are kept; an agent's bundle holds a handful. */
	private static final int MAX_ISSUERS = 64;

	private final URI baseUri;

	private final RevocationHttp http;

	private final Clock clock;

	private final Duration clockSkew;

	private final Duration maxAge;

	private final Map<String, Held> crls = new ConcurrentHashMap<>();

	private final Map<String, Object> locks = new ConcurrentHashMap<>();

	private record Held(X509CRL crl, Instant thisUpdate, Instant nextUpdate, Instant refreshAt) {
	}

	CrlStatusSource(URI baseUri, RevocationHttp http, Clock clock, Duration clockSkew, Duration maxAge) {
		this.baseUri = baseUri;
		this.http = http;
		this.clock = clock;
		this.clockSkew = clockSkew;
		this.maxAge = maxAge;
	}

	@Override
	public StatusAnswer fetch(X509Certificate leaf, X509Certificate issuer, String issuerKeyId)
			throws RevocationUnavailableException {
		Held held = current(issuer, issuerKeyId);
		X509CRLEntry entry = held.crl().getRevokedCertificate(leaf.getSerialNumber());
		RevocationStatus status = new RevocationStatus.Good();
		if (entry != null) {
			CRLReason reason = (entry.getRevocationReason() != null) ? entry.getRevocationReason()
					: CRLReason.UNSPECIFIED;
			status = new RevocationStatus.Revoked(entry.getRevocationDate().toInstant(), reason);
		}
		return new StatusAnswer(status, held.thisUpdate(), held.nextUpdate(), held.refreshAt());
	}

	private Held current(X509Certificate issuer, String issuerKeyId) throws RevocationUnavailableException {
		Held held = this.crls.get(issuerKeyId);
		if (held != null && this.clock.instant().isBefore(held.refreshAt())) {
			return held;
		}
		synchronized (this.locks.computeIfAbsent(issuerKeyId, (key) -> new Object())) {
			held = this.crls.get(issuerKeyId);
			Instant now = this.clock.instant();
			if (held != null && now.isBefore(held.refreshAt())) {
				return held;
			}
			try {
				Held fetched = download(issuer, issuerKeyId, now);
				if (this.crls.size() >= MAX_ISSUERS && !this.crls.containsKey(issuerKeyId)) {
					this.crls.clear();
				}
				this.crls.put(issuerKeyId, fetched);
				return fetched;
			}
			catch (RevocationUnavailableException ex) {
				if (held != null && now.isBefore(held.nextUpdate())) {
					// past the max age but still vouched for by the CA: better than
					// nothing
					return held;
				}
				throw ex;
			}
		}
	}

	private Held download(X509Certificate issuer, String issuerKeyId, Instant now)
			throws RevocationUnavailableException {
		URI uri = Endpoints.resolve(this.baseUri, "crl/" + issuerKeyId + ".crl");
		byte[] body = this.http.get(uri, "application/pkix-crl");
		X509CRL crl;
		try {
			crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(body));
		}
		catch (CertificateException | CRLException | RuntimeException ex) {
			throw untrusted(uri, "not a DER CRL (" + ex.getMessage() + ")");
		}
		if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
			throw untrusted(uri, "issued by " + crl.getIssuerX500Principal().getName() + ", not "
					+ issuer.getSubjectX500Principal().getName());
		}
		try {
			crl.verify(issuer.getPublicKey(), CryptoProviders.bouncyCastle());
		}
		catch (GeneralSecurityException ex) {
			throw untrusted(uri, "its signature does not verify with the issuer's key");
		}
		Instant thisUpdate = crl.getThisUpdate().toInstant();
		if (thisUpdate.isAfter(now.plus(this.clockSkew))) {
			throw untrusted(uri, "thisUpdate " + thisUpdate + " is in the future");
		}
		if (crl.getNextUpdate() == null) {
			throw untrusted(uri, "it has no nextUpdate");
		}
		Instant nextUpdate = crl.getNextUpdate().toInstant();
		if (!nextUpdate.plus(this.clockSkew).isAfter(now)) {
			throw untrusted(uri, "nextUpdate " + nextUpdate + " has passed");
		}
		Instant aged = now.plus(this.maxAge);
		return new Held(crl, thisUpdate, nextUpdate, nextUpdate.isBefore(aged) ? nextUpdate : aged);
	}

	private static RevocationUnavailableException untrusted(URI uri, String problem) {
		return new RevocationUnavailableException("CRL from " + uri + " not trusted: " + problem, null);
	}

}
